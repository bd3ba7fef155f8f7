import SimWire
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The simulator daemon (`asroll-sim serve`): holds the model, serves the control socket and the info ports, and
/// starts and kills the node namespaces. `up` starts it inside its own private mount namespace, where it mounts each
/// node's size-limited backup filesystem.
public enum SimDaemon {
    /// How long a booting node's sshd may take to answer.
    static let sshBootTimeout = 30.0

    /// Runs the daemon for `directory` until asked to stop; returns the process exit status.
    public static func serve(directory: SimDirectory, logger: Logger) -> Int32 {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        signal(SIGPIPE, SIG_IGN)

        let configuration: SimConfiguration
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.configuration))
            configuration = try JSONDecoder().decode(SimConfiguration.self, from: data)
        } catch {
            logger.error("cannot read \(directory.configuration): \(error)")
            return 1
        }
        try? "\(getpid())\n".write(toFile: directory.pidFile, atomically: true, encoding: .utf8)
        let executable = ChildProcess.currentExecutable
        let shim = URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("asroll-sim-node").path
        guard FileManager.default.isExecutableFile(atPath: shim) else {
            logger.error("the node shim \(shim) is missing; build it (swift build) next to asroll-sim")
            return 1
        }
        let files = NodeFiles(directory: directory, configuration: configuration, shimPath: shim)
        for name in configuration.nodeNames {
            do {
                try files.prepare(name)
            } catch {
                logger.error("cannot prepare \(directory.node(name).path): \(error)")
                return 1
            }
            let size = configuration.backupSpace(of: name)
            guard mount("tmpfs", directory.node(name).backup, "tmpfs", UInt(MS_NOSUID | MS_NODEV),
                        "size=\(size),mode=0755") == 0 else {
                let reason = String(cString: strerror(errno))
                let message = "cannot mount the backup filesystem of \(name): \(reason) (the simulator needs root "
                    + "or CAP_SYS_ADMIN)"
                logger.error("\(message)")
                return 1
            }
        }

        let actions = ActionQueue()
        let sink = OutboxSink(directory: directory, nodes: configuration.nodeNames, actions: actions)
        let host = DaemonHost(model: ClusterModel(configuration: configuration, now: SimThread.now()), sink: sink)
        let launcher = NodeLauncher(directory: directory, configuration: configuration, executable: executable)
        let info = InfoServer(host: host, configuration: configuration) { logger.warning("\($0)") }
        let shutdown = SimFlag(false)
        let control = SimControl(host: host, launcher: launcher, files: files, shutdown: shutdown)
        let server: ControlServer
        do {
            server = try ControlServer(path: directory.controlSocket) { request, output, peer in
                if request.kind == "exec" {
                    control.runNodeCommand(request, output: output, peer: peer)
                } else if request.kind == "sudo" {
                    control.recordSudo(request, output: output)
                } else {
                    control.handle(request.arguments, output: output)
                }
            }
        } catch {
            logger.error("cannot listen on \(directory.controlSocket): \(error)")
            return 1
        }

        let actionsDone = DispatchSemaphore(value: 0)
        SimThread.start("actions") {
            perform(actions: actions, host: host, launcher: launcher, info: info, files: files, logger: logger)
            actionsDone.signal()
        }
        let nodes = host.withModel { model, _ in model.nodes.map { ($0.name, $0.bootID, $0.faults) } }
        for (name, bootID, faults) in nodes {
            try? files.writeBootID(name, bootID)
            try? files.writeFaults(name, faults)
            actions.push(.launchInitial(node: name))
        }
        SimThread.start("signals") {
            var received: Int32 = 0
            sigwait(&blocked, &received)
            logger.info("signal \(received) received, shutting down")
            shutdown.set(true)
        }
        logger.info("asroll-sim daemon \(getpid()) serving \(configuration.nodeCount) nodes from \(directory.path)")

        var lastReap = SimThread.now()
        while !shutdown.isSet {
            host.withModel { _, _ in }
            if SimThread.now() - lastReap > 1 {
                lastReap = SimThread.now()
                for (name, status) in launcher.reapUnexpected() {
                    let message = "\(name): namespace exited on its own (status \(status)); see "
                        + directory.node(name).sshdLog
                    logger.warning("\(message)")
                    host.withModel { model, time in
                        model.recordExternal("namespace_exited", node: name, [("status", .int(Int(status)))], now: time)
                    }
                }
            }
            SimThread.sleep(0.02)
        }

        server.stop()
        host.withModel { model, time in model.recordExternal("sim_stopped", node: nil, [], now: time) }
        actions.push(.stop)
        _ = actionsDone.wait(timeout: .now() + 10)
        launcher.killAll()
        info.closeAll()
        for name in configuration.nodeNames { umount2(directory.node(name).backup, Int32(MNT_DETACH)) }
        try? FileManager.default.removeItem(atPath: directory.pidFile)
        logger.info("asroll-sim daemon stopped")
        return 0
    }

    private static func perform(actions: ActionQueue, host: DaemonHost, launcher: NodeLauncher, info: InfoServer,
                                files: NodeFiles, logger: Logger) {
        while true {
            switch actions.pop() {
            case .stop: return
            case .launchInitial(let name):
                launch(name, launcher: launcher, host: host, logger: logger, boots: false)
            case .model(.openInfoPort(let name)): info.open(name)
            case .model(.closeInfoPort(let name)): info.close(name)
            case .model(.killNamespace(let name)):
                launcher.kill(name)
                logger.info("\(name): down")
            case .model(.launchNamespace(let name, let bootID)):
                let faults = host.withModel { model, _ in model.node(name)?.faults ?? [] }
                try? files.writeBootID(name, bootID)
                try? files.writeFaults(name, faults)
                launch(name, launcher: launcher, host: host, logger: logger, boots: true)
            case .model(.writeFaults(let name)):
                let faults = host.withModel { model, _ in model.node(name)?.faults ?? [] }
                try? files.writeFaults(name, faults)
            }
        }
    }

    /// Starts `name`'s namespace from the action thread (so its death signal stays armed) and, for a reboot, tells
    /// the model once sshd answers.
    private static func launch(_ name: String, launcher: NodeLauncher, host: DaemonHost, logger: Logger, boots: Bool) {
        do {
            try launcher.launch(name)
        } catch {
            logger.error("\(name): \(error)")
            return
        }
        SimThread.start("boot \(name)") {
            guard launcher.waitForSSH(name, timeout: sshBootTimeout) else {
                logger.error("\(name): sshd did not answer within \(Int(sshBootTimeout))s")
                host.withModel { model, time in model.recordExternal("node_boot_failed", node: name, [], now: time) }
                return
            }
            if boots { host.withModel { model, time in model.nodeBooted(name, now: time) } }
            logger.info("\(name): sshd up")
        }
    }
}
