import RollingCore
import Testing

@Suite("File and YAML problems")
struct FileProblemTests {
    @Test func missingFileIsReportedWithTheSystemReason() throws {
        #expect {
            try ConfigLoader.loadInventory(at: "/nonexistent/asroll/inventory.yml", environment: testEnvironment)
        } throws: { error in
            let problem = (error as? ConfigError)?.problems.first
            return problem?.kind == .unreadable && problem?.line == nil
                && problem?.description == "/nonexistent/asroll/inventory.yml: cannot open the file: No such file or directory"
        }
    }

    @Test func directoryIsNotAFile() throws {
        let scratch = try ConfigScratch()
        #expect {
            try ConfigLoader.loadPlaybook(at: scratch.directory)
        } throws: { error in
            (error as? ConfigError)?.problems.first?.message.contains("this is a directory") == true
        }
    }

    @Test func emptyAndCommentOnlyFilesSayWhatIsNeeded() throws {
        for text in ["", "# nothing yet\n\n"] {
            let problem = try #require(onlyProblem(try inventoryProblems(text)))
            #expect(problem.kind == .empty)
            #expect(problem.message == "the file is empty; an inventory needs at least cluster, namespaces and nodes")
        }
    }

    @Test func syntaxErrorIsReportedAtItsLine() throws {
        let problems = try inventoryProblems("""
            cluster: prod-east
            namespaces: [users
            nodes:
              - name: a
            """)
        let problem = try #require(onlyProblem(problems))
        #expect(problem.kind == .syntax)
        #expect(problem.line == 3)
        #expect(problem.message.hasPrefix("invalid YAML:"))
    }

    @Test func tabIndentationGetsAHint() throws {
        let problems = try inventoryProblems("cluster: c\nssh:\n\tuser: ops\n")
        let problem = try #require(onlyProblem(problems))
        #expect(problem.kind == .syntax)
        #expect(problem.line == 3)
        #expect(problem.suggestion?.contains("tabs") == true)
    }

    @Test func syntaxHintsTellIndentationFromAnUnquotedColon() throws {
        let indentation = try #require(onlyProblem(try inventoryProblems("cluster: a\n  bad: indentation\n")))
        #expect(indentation.line == 2)
        #expect(indentation.suggestion == "check the indentation of this line against the lines above it")

        let colon = try #require(onlyProblem(try playbookProblems("maintenance:\n  - echo step: one: two\n")))
        #expect(colon.line == 2)
        #expect(colon.suggestion?.hasPrefix("quote a value that contains ': '") == true)
    }

    @Test func topLevelListIsNotAnInventory() throws {
        let problem = try #require(onlyProblem(try inventoryProblems("- a\n- b\n")))
        #expect(problem.kind == .wrongType)
        #expect(problem.line == 1)
    }

    @Test func duplicateKeysAreReportedAtTheRepeatTogetherWithOtherProblems() throws {
        let problems = try inventoryProblems("""
            cluster: prod-east
            namespaces: [users]
            ssh:
              port: 22
              user: ops
              port: 2222
            nodes:
              - name: aero-1
                host: 10.0.0.11
                host: 10.0.0.12
                flags: [dimm_fault]
            cluster: prod-west
            """)
        #expect(problems.map(\.kind) == [.duplicateKey, .duplicateKey, .invalidValue, .duplicateKey])
        #expect(problems.map(\.keyPath) == ["ssh.port", "nodes[0].host", "nodes[0].flags[0]", "cluster"])
        #expect(problems.map(\.line) == [6, 10, 11, 12])
        #expect(problems[0].message.contains("first at line 4"))
        #expect(problems[3].message.contains("first at line 1"))
    }

    @Test func duplicateKeyInAFlowMappingIsFound() throws {
        let problems = try inventoryProblems(minimalInventory + "info: {port: 3000, via: ssh, port: 3001}\n")
        let problem = try #require(onlyProblem(problems))
        #expect(problem.kind == .duplicateKey)
        #expect(problem.keyPath == "info.port")
        #expect(problem.line == 8)
        #expect(problem.column == 30)
    }

    @Test func problemDescriptionIsCompilerStyle() {
        let problem = ConfigProblem(
            kind: .invalidValue, file: "inventory/prod.yml", line: 14, column: 5, keyPath: "nodes[2].flags",
            message: "unknown flag 'dimm_fault'; expected dimm-fault or post-expansion",
            suggestion: "did you mean 'dimm-fault'?"
        )
        #expect(problem.description == "inventory/prod.yml:14:5: nodes[2].flags: unknown flag 'dimm_fault'; "
            + "expected dimm-fault or post-expansion (did you mean 'dimm-fault'?)")
    }
}
