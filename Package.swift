// swift-tools-version:6.1
import PackageDescription

/// Upcoming-language settings every target gets, so the whole package reads the same way.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "asroll",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "asroll", targets: ["asroll"]),
        .executable(name: "asroll-sim", targets: ["asroll-sim"]),
        .library(name: "RollingCore", targets: ["RollingCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The one C boundary: libssh2 from the system, found through pkg-config (apt: libssh2-1-dev).
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"]), .brew(["libssh2"])]
        ),
        // Threads, deadlines and sockets shared by the SSH client, the info client and the simulator.
        .target(name: "SystemSupport", swiftSettings: strictSettings),
        .target(
            name: "SSHClient",
            dependencies: ["CLibSSH2", "SystemSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(name: "AerospikeInfo", dependencies: ["SystemSupport"], swiftSettings: strictSettings),
        .target(
            name: "RollingCore",
            dependencies: [
                "SSHClient", "AerospikeInfo", "SystemSupport", "Yams",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AerospikeSim",
            dependencies: ["AerospikeInfo", "SystemSupport", "SimWire", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The simulator's control-socket framing, Glibc only: shared by the daemon and the node shim.
        .target(name: "SimWire", swiftSettings: strictSettings),
        .executableTarget(
            name: "asroll",
            dependencies: [
                "RollingCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "asroll-sim",
            dependencies: [
                "AerospikeSim", "SimWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The node-side shim behind the simulated `systemctl`, `asmt`, ...: Glibc only, so it starts in ~4 ms.
        .executableTarget(name: "asroll-sim-node", dependencies: ["SimWire"], swiftSettings: strictSettings),
        .executableTarget(
            name: "asroll-bench",
            dependencies: [
                "RollingCore", "SSHClient", "AerospikeInfo", "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Test fixtures: sshd test hosts and simulator handles, always torn down.
        .target(name: "TestSupport", dependencies: ["SystemSupport"], path: "Tests/TestSupport",
                swiftSettings: strictSettings),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SSHClientTests", dependencies: ["SSHClient", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "AerospikeInfoTests", dependencies: ["AerospikeInfo", "TestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "RollingCoreTests", dependencies: ["RollingCore", "TestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(name: "AerospikeSimTests", dependencies: ["AerospikeSim", "AerospikeInfo", "TestSupport"],
                    swiftSettings: strictSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["SSHClient", "AerospikeInfo", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["RollingCore", "AerospikeInfo", "SSHClient", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
