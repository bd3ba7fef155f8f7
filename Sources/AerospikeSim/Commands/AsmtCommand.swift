import Foundation

/// `asmt`: backs up and restores a node's shared-memory segments with the real tool's options, lines, refusals,
/// exit codes and file names, against the model's segments and the node's backup directory.
///
/// Everything asmt prints goes to stdout (it uses `printf`), and only with `-v` beyond the usage errors. If the
/// client is killed midway (a command timeout), the operation stops where it is, without asmt's cleanup, as a
/// killed process would: created files or segments stay, and the record says `killed`.
struct AsmtCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    /// How one namespace went, for the record.
    struct NamespaceResult {
        var namespace: String
        var outcome: String
        var files: [String] = []
        var success: Bool
    }

    /// The per-namespace pass was cut short because the client went away.
    struct Killed: Error {}

    func run() -> Int32 {
        let program = context.programName
        let options: AsmtOptions
        switch AsmtOptions.parse(context.parameters) {
        case .failure(.getopt(let message)):
            context.complain(message)
            context.output.out(AsmtOptions.usage(verbose: true, program: program))
            return 1
        case .failure(.stray):
            context.output.out(AsmtOptions.usage(verbose: true, program: program))
            return 1
        case .success(let parsed): options = parsed
        }
        if options.help {
            context.output.out(AsmtOptions.usage(verbose: true, program: program))
            return 0
        }
        if options.backup == options.restore {
            context.output.out("Must specify exactly one of backup ('-b') or restore ('-r').\n\n"
                               + AsmtOptions.usage(verbose: false, program: program))
            return 1
        }
        guard let path = options.path else {
            context.output.out("Must specify pathname of file directory (use '-p').\n\n"
                               + AsmtOptions.usage(verbose: false, program: program))
            return 1
        }
        if options.restore && options.compress {
            context.output.out("Unnecessary to specify compress ('-z') with restore ('-r').\n\n")
        }
        if options.instance > 15 {
            context.output.out("Instance must be from 0..15 (use '-i').\n\n"
                               + AsmtOptions.usage(verbose: false, program: program))
            return 1
        }
        if let threads = options.threads, !(1...1024).contains(threads) {
            context.output.out("Max threads must be in the range 1..1024 (use '-t').\n\n"
                               + AsmtOptions.usage(verbose: false, program: program))
            return 1
        }
        if options.verbose {
            context.output.out(AsmtOptions.banner)
            context.output.out(([program] + context.parameters).joined(separator: " ") + "\n")
            context.output.out("\n" + operationLine(options) + "\n")
        }
        guard let list = options.namespaceList else {
            context.output.out("Did not provide list of namespace names.\n")
            return 1
        }
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let run = AsmtRun(context: context, options: options, path: path, allNames: names)
        var results: [NamespaceResult] = []
        var success = true
        var killed = false
        for name in names where !name.isEmpty {
            do {
                let result = try options.backup ? run.backup(name) : run.restore(name)
                results.append(result)
                if !result.success { success = false }
            } catch {
                killed = true
                results.append(NamespaceResult(namespace: name, outcome: "killed", success: false))
                break
            }
        }
        if !killed && success && names.contains("") {
            context.output.out("\nInvalid namespace name(s) provided.\n")
        }
        let status: Int32 = killed ? 137 : success ? 0 : 1
        record(options, results: results, status: status)
        return status
    }

    private func operationLine(_ options: AsmtOptions) -> String {
        if options.analyze {
            return "Performing analyze operation with \(options.backup ? "backup" : "restore") option."
        }
        if options.backup {
            switch (options.compress, options.crc32) {
            case (true, true): return "Performing backup operation with compression and crc32 checking."
            case (true, false): return "Performing backup operation with compression."
            case (false, true): return "Performing backup operation with crc32 checking."
            case (false, false): return "Performing backup operation."
            }
        }
        return options.crc32 ? "Performing restore operation with crc32 checking." : "Performing restore operation."
    }

    private func record(_ options: AsmtOptions, results: [NamespaceResult], status: Int32) {
        let overall: String
        if results.contains(where: { $0.outcome == "killed" }) {
            overall = "killed"
        } else if status != 0 {
            overall = "failed"
        } else if results.allSatisfy({ ["backed_up", "restored", "analyzed"].contains($0.outcome) }) {
            overall = "ok"
        } else {
            overall = "nothing_to_do"
        }
        let details: [(String, JSONValue)] = [
            ("result", .string(overall)), ("exit", .int(Int(status))), ("analyze", .bool(options.analyze)),
            ("compress", .bool(options.compress)), ("verbose", .bool(options.verbose)),
            ("path", .string(options.path ?? "")),
            ("namespaces", .object(results.map { ($0.namespace, .string($0.outcome)) })),
            ("files", .strings(results.flatMap(\.files))),
        ]
        context.host.withModel { model, time in
            model.recordExternal(options.backup ? "asmt_backup" : "asmt_restore", node: context.node, details,
                                 now: time)
        }
    }
}
