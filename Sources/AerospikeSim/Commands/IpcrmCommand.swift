/// `ipcrm -M key` / `ipcrm -m shmid` (and `ipcrm shm id`), with util-linux's messages for unknown keys and ids.
struct IpcrmCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    func run() -> Int32 {
        var selectors: [(SegmentSelector, String)] = []
        var arguments = context.parameters[...]
        if arguments.first == "shm" {
            arguments = arguments.dropFirst()
            for id in arguments {
                guard let value = Int(id) else {
                    context.complain("ipcrm: failed to parse argument: '\(id)'")
                    return 1
                }
                selectors.append((.id(value), "id (\(id))"))
            }
        } else {
            while let option = arguments.popFirst() {
                switch option {
                case "-M", "--shmem-key", "-m", "--shmem-id":
                    guard let value = arguments.popFirst() else {
                        context.complain("ipcrm: option requires an argument -- '\(option.dropFirst().prefix(1))'")
                        return 1
                    }
                    if option == "-M" || option == "--shmem-key" {
                        let digits = value.hasPrefix("0x") || value.hasPrefix("0X") ? String(value.dropFirst(2)) : value
                        guard let key = UInt32(digits, radix: value.hasPrefix("0x") || value.hasPrefix("0X") ? 16 : 10)
                        else {
                            context.complain("ipcrm: failed to parse argument: '\(value)'")
                            return 1
                        }
                        selectors.append((.key(key), "key (\(value))"))
                    } else {
                        guard let id = Int(value) else {
                            context.complain("ipcrm: failed to parse argument: '\(value)'")
                            return 1
                        }
                        selectors.append((.id(id), "id (\(value))"))
                    }
                case "-a", "--all":
                    let ids = context.host.withModel { model, _ in
                        model.node(context.node)?.segments.map(\.shmid) ?? []
                    }
                    selectors += ids.map { (.id($0), "id (\($0))") }
                default:
                    context.complain("ipcrm: invalid option -- '\(option.dropFirst().prefix(1))'")
                    context.complain("Try 'ipcrm --help' for more information.")
                    return 1
                }
            }
        }
        guard !selectors.isEmpty else {
            context.complain("ipcrm: bad usage")
            context.complain("Try 'ipcrm --help' for more information.")
            return 1
        }
        var status: Int32 = 0
        for (selector, label) in selectors {
            let removed = context.host.withModel { model, time in
                model.removeSegment(context.node, selector, now: time)
            }
            if !removed {
                context.complain("ipcrm: invalid \(label)")
                status = 1
            }
        }
        if context.parameters.first == "shm" && status == 0 { context.say("\(selectors.count) resource(s) deleted") }
        return status
    }
}
