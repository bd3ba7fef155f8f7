import Foundation

/// asmt's command line, parsed with getopt's rules for `"abchi:n:p:rt:vz"` (clustered flags, attached or separate
/// option arguments, any non-option argument is an error).
struct AsmtOptions {
    var analyze = false
    var backup = false
    var crc32 = false
    var help = false
    var restore = false
    var verbose = false
    var compress = false
    var instance: UInt32 = 0
    var namespaceList: String?
    var path: String?
    var threads: UInt32?

    /// What went wrong while parsing.
    enum Failure: Error {
        /// getopt's own message (to stderr), then the full usage, exit 1.
        case getopt(String)
        /// An argument that is not an option: full usage, exit 1.
        case stray
    }

    /// Parses `arguments` (without argv[0]).
    static func parse(_ arguments: [String]) -> Result<AsmtOptions, Failure> {
        var options = AsmtOptions()
        var index = 0
        let takesArgument: Set<Character> = ["i", "n", "p", "t"]
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { return index < arguments.count ? .failure(.stray) : .success(options) }
            guard argument.hasPrefix("-"), argument.count > 1 else { return .failure(.stray) }
            var letters = Substring(argument.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if takesArgument.contains(letter) {
                    let value: String
                    if !letters.isEmpty {
                        value = String(letters)
                        letters = ""
                    } else if index < arguments.count {
                        value = arguments[index]
                        index += 1
                    } else {
                        return .failure(.getopt("asmt: option requires an argument -- '\(letter)'"))
                    }
                    switch letter {
                    case "i": options.instance = UInt32(truncatingIfNeeded: atoi(value))
                    case "n": options.namespaceList = value
                    case "p": options.path = value
                    default: options.threads = UInt32(truncatingIfNeeded: atoi(value))
                    }
                    continue
                }
                switch letter {
                case "a": options.analyze = true
                case "b": options.backup = true
                case "c": options.crc32 = true
                case "h": options.help = true
                case "r": options.restore = true
                case "v": options.verbose = true
                case "z": options.compress = true
                default: return .failure(.getopt("asmt: invalid option -- '\(letter)'"))
                }
            }
        }
        return .success(options)
    }

    /// The version banner.
    static let banner = "Aerospike Shared Memory Tool, Version 2.2.1\nCopyright (C) 2022-2025 Aerospike, Inc.  "
        + "All rights reserved.\n\n"

    /// asmt's usage text (`verbose` adds the option combinations and examples).
    static func usage(verbose: Bool, program: String) -> String {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let first = "usage: \(program)"
        var text = banner + first + " [-a] [-b] [-c] [-h] [-i <instance>] -n <name>[,<name>...]\n"
            + String(repeating: " ", count: first.count) + " -p <pathdir> [-r] [-t <threads>] [-v] [-z]\n\n"
        text += """
            -a analyze (advisory - goes with '-b' or '-r')
            -b backup (operation or advisory with '-a')
            -c compare crc32 values of segments and segment files
            -h help
            -i filter by instance (default is instance 0)
            -n filter by namespace name
            -p path of directory (mandatory)
            -r restore (operation or advisory with '-a')
            -t maximum number of threads for I/O (default is #CPUs, in this case \(cpus))
            -v verbose output
            -z compress files on backup

            Notes:

            1. The '-c' option has a significant performance cost.
            2. However, this is reduced when combined with the '-z' option.
            3. Should be run in verbose mode ('-v') if possible.
            4. A comma-separated list of namespace names may be provided.

            """
        guard verbose else { return text }
        text += """

            Possible primary option combinations:

            -b     Perform backup operation ('-p' required).
            -r     Perform restore operation ('-p' required).
            -ba    Analyze backup operation ('-p' required).
            -ra    Analyze restore operation ('-p' required).

            Examples:

            \(program) -b -p /home/aerospike/backups -n foo

                Backs up all Aerospike database segments with instance 0
                and namespace 'foo' to the directory /home/aerospike/backups.

            \(program) -b -p /home/aerospike/backups -zc -n bar

                Backs up all Aerospike database segments with instance 0
                and namespace 'bar' to the directory /home/aerospike/backups.
                Requests that file compression be applied and crc32 checks
                be made on all backups.

            \(program) -ba -i2 -p /home/aerospike/backups -v -n test

                Analyzes whether any Aerospike database segments with
                instance 2 and namespace 'test' can be backed up to the directory
                /home/aerospike/backups. Requests verbose output.

            \(program) -r -i3 -n bar -p /home/aerospike/backups -cv -t 128

                Restores all Aerospike database segment files with instance 3
                and namespace 'bar' from the directory /home/aerospike/backups.
                Requests that crc32 checks be made on all restorations.
                Requests verbose output. Uses no more than 128 threads
                for file I/O. Any compressed files will be decompressed.


            """
        return text
    }
}
