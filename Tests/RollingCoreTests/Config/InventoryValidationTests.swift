import RollingCore
import Testing

/// The one problem in `problems`, or an issue.
func onlyProblem(_ problems: [ConfigProblem], sourceLocation: SourceLocation = #_sourceLocation) -> ConfigProblem? {
    #expect(problems.count == 1, "problems: \(problems.map(\.description))", sourceLocation: sourceLocation)
    return problems.count == 1 ? problems[0] : nil
}

@Suite("Inventory validation")
struct InventoryValidationTests {
    @Test func unknownKeysAreReportedWithDidYouMean() throws {
        let problems = try inventoryProblems("""
            cluster: prod-east
            namespace: [users]
            ssh:
              knwon_hosts: ~/.ssh/known_hosts
            nodes:
              - name: aero-1
                host: 10.0.0.11
                flag: [dimm-fault]
            """)
        let unknown = problems.filter { $0.kind == .unknownKey }
        #expect(unknown.map(\.keyPath) == ["namespace", "ssh.knwon_hosts", "nodes[0].flag"])
        #expect(unknown.map(\.line) == [2, 4, 8])
        #expect(unknown.map(\.column) == [1, 3, 5])
        #expect(unknown.map(\.suggestion) == [
            "did you mean 'namespaces'?", "did you mean 'known_hosts'?", "did you mean 'flags'?",
        ])
        // `namespace` was not understood as `namespaces`, so the required key is missing too.
        #expect(problems.contains { $0.kind == .missingKey && $0.keyPath == "namespaces" })
    }

    @Test func aKeyAtTheWrongLevelSaysWhereItBelongs() throws {
        let problems = try inventoryProblems(minimalInventory + "user: ops\n")
        let problem = try #require(onlyProblem(problems))
        #expect(problem.suggestion == "'user' belongs under ssh:")
        #expect(problem.line == 8)
    }

    @Test func missingRequiredKeysAreReportedAtTheirMapping() throws {
        let problems = try inventoryProblems("""
            ssh:
              user: ops
            nodes:
              - host: 10.0.0.11
              - name: aero-2
            """)
        #expect(problems.map(\.kind) == [.missingKey, .missingKey, .missingKey, .missingKey])
        #expect(problems.map(\.keyPath) == ["cluster", "namespaces", "nodes[0].name", "nodes[1].host"])
        #expect(problems.map(\.line) == [1, 1, 4, 5])
    }

    @Test func wrongTypesNameWhatWasExpected() throws {
        let problems = try inventoryProblems("""
            cluster: [a, b]
            namespaces: users
            ssh:
              port: twenty-two
              use_agent: maybe
            nodes: {name: aero-1}
            """)
        #expect(problems.map(\.kind) == [.wrongType, .wrongType, .wrongType, .wrongType, .wrongType])
        #expect(problems.map(\.keyPath) == ["cluster", "namespaces", "ssh.port", "ssh.use_agent", "nodes"])
        #expect(problems.map(\.line) == [1, 2, 4, 5, 6])
        #expect(problems[2].message == "expected a port number from 1 to 65535, found 'twenty-two'")
        #expect(problems[3].message == "expected true or false, found 'maybe'")
    }

    @Test func duplicateNodeNamesAndHostPortPairsAreRefused() throws {
        let problems = try inventoryProblems("""
            cluster: c1
            namespaces: [users]
            nodes:
              - name: aero-1
                host: 10.0.0.11
              - name: AERO-1
                host: 10.0.0.12
              - name: aero-3
                host: 10.0.0.11
              - name: aero-4
                host: 10.0.0.11
                ssh_port: 2222
            """)
        #expect(problems.map(\.kind) == [.duplicateValue, .duplicateValue])
        #expect(problems.map(\.keyPath) == ["nodes[1].name", "nodes[2].host"])
        #expect(problems.map(\.line) == [6, 9])
        #expect(problems[0].message == "node name 'AERO-1' is already used by nodes[0] (line 4)")
        #expect(problems[1].message.contains("10.0.0.11 port 22 is already node 'aero-1'"))
    }

    @Test func badPortsAreOutOfRange() throws {
        let problems = try inventoryProblems(minimalInventory + """
            info:
              port: 0
            ssh:
              port: 70000
            """)
        #expect(problems.map(\.keyPath) == ["info.port", "ssh.port"])
        #expect(problems.allSatisfy { $0.kind == .invalidValue && $0.message.contains("from 1 to 65535") })
    }

    @Test func nodePortOverridesAreCheckedToo() throws {
        let problems = try inventoryProblems("""
            cluster: c1
            namespaces: [users]
            nodes:
              - {name: a, host: h1, ssh_port: -1, info_port: 65536}
            """)
        #expect(problems.map(\.keyPath) == ["nodes[0].ssh_port", "nodes[0].info_port"])
        #expect(problems.map(\.line) == [4, 4])
    }

    @Test func invalidAndDuplicateNamespacesAreReported() throws {
        let problems = try inventoryProblems("""
            cluster: c1
            namespaces: [users, "bad name", users, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]
            nodes: [{name: a, host: h1}]
            """)
        #expect(problems.map(\.keyPath) == ["namespaces[1]", "namespaces[2]", "namespaces[3]"])
        #expect(problems.map(\.kind) == [.invalidValue, .duplicateValue, .invalidValue])
    }

    @Test func relativeNodePathsAndSystemDirectoriesAreRefused() throws {
        let problems = try inventoryProblems(minimalInventory + """
            asmt:
              backup_dir: var/aerospike/asmt
            lease:
              path: asroll.lease
            """)
        #expect(problems.map(\.keyPath) == ["asmt.backup_dir", "lease.path"])
        #expect(problems.allSatisfy { $0.message.contains("not an absolute path") })

        let root = try inventoryProblems(minimalInventory + "asmt: {backup_dir: /var/}\n")
        #expect(try #require(onlyProblem(root)).message.contains("/var is a system directory"))
    }

    @Test func identityFileTogetherWithTheAgentIsAConflict() throws {
        let problems = try inventoryProblems(minimalInventory + """
            ssh:
              identity_file: ~/.ssh/id_ed25519
              use_agent: true
            """)
        let problem = try #require(onlyProblem(problems))
        #expect(problem.kind == .conflict)
        #expect(problem.keyPath == "ssh.use_agent")
        #expect(problem.line == 10)
    }

    @Test func secretsInTheFileAreRefusedWithoutEchoingThem() throws {
        let problems = try inventoryProblems(minimalInventory + """
            ssh:
              passphrase: hunter2
            """)
        let problem = try #require(onlyProblem(problems))
        #expect(problem.kind == .secret)
        #expect(problem.keyPath == "ssh.passphrase")
        #expect(problem.message.contains("passphrase_env"))
        #expect(!problem.description.contains("hunter2"))
    }

    @Test func badDurationsListTheAcceptedForms() throws {
        let problems = try inventoryProblems(minimalInventory + """
            ssh:
              connect_timeout: 10
            info:
              timeout: 0s
            """)
        #expect(problems.map(\.keyPath) == ["ssh.connect_timeout", "info.timeout"])
        #expect(problems[0].message.contains("500ms, 30s, 10m, 2h"))
        #expect(problems[1].message == "must be longer than 0s")
    }

    @Test func unknownFlagSuggestsTheSpelledOutOne() throws {
        let problems = try inventoryProblems("""
            cluster: c1
            namespaces: [users]
            nodes:
              - name: aero-1
                host: 10.0.0.11
                flags: [dimm_fault]
            """)
        let problem = try #require(onlyProblem(problems))
        #expect(problem.description.hasSuffix(
            ":6:13: nodes[0].flags[0]: unknown flag 'dimm_fault'; expected dimm-fault or post-expansion "
                + "(did you mean 'dimm-fault'?)"))
    }

    @Test func namesThatWouldBreakFilesOrCommandsAreRefused() throws {
        let problems = try inventoryProblems("""
            cluster: "prod east"
            namespaces: [users]
            ssh: {user: "-oProxyCommand=x", passphrase_env: "MY VAR"}
            nodes:
              - {name: ../a, host: "10.0.0.1 ; rm"}
            """)
        #expect(problems.map(\.keyPath) == ["cluster", "ssh.user", "ssh.passphrase_env", "nodes[0].name",
                                            "nodes[0].host"])
        #expect(problems.allSatisfy { $0.kind == .invalidValue })
    }

    @Test func severalProblemsAreReportedTogetherInLineOrder() throws {
        let problems = try inventoryProblems("""
            cluster: prod-east
            namespaces: [users]
            nodes:
              - name: aero-1
                host: 10.0.0.11
                ssh_port: 99999
            ssh:
              knwon_hosts: /x
              connect_timeout: 5 seconds
            info:
              via: telnet
            """)
        #expect(problems.map(\.line) == [6, 8, 9, 11])
        #expect(problems.map(\.keyPath) == ["nodes[0].ssh_port", "ssh.knwon_hosts", "ssh.connect_timeout", "info.via"])
        let error = ConfigError(problems: problems)
        #expect(error.description.split(separator: "\n").count == 5)
        #expect(error.description.hasSuffix("4 problems in \(problems[0].file)"))
    }

    @Test func emptyNodeListIsRefused() throws {
        let problems = try inventoryProblems("cluster: c\nnamespaces: [a]\nnodes: []\n")
        let problem = try #require(onlyProblem(problems))
        #expect(problem.message == "the inventory has no nodes")
        #expect(problem.line == 3)
    }
}
