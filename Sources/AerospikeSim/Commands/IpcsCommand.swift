import Foundation

/// `ipcs` / `ipcs -m`: util-linux's table of the node's shared-memory segments (message queues and semaphores are
/// always empty).
struct IpcsCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    func run() -> Int32 {
        var shm = false
        var queues = false
        var semaphores = false
        for argument in context.parameters {
            switch argument {
            case "-m", "--shmems", "shm": shm = true
            case "-q", "--queues": queues = true
            case "-s", "--semaphores": semaphores = true
            case "-a", "--all": (shm, queues, semaphores) = (true, true, true)
            default:
                if argument.hasPrefix("-") {
                    context.complain("ipcs: invalid option -- '\(argument.dropFirst().prefix(1))'")
                    context.complain("Try 'ipcs --help' for more information.")
                    return 1
                }
            }
        }
        if !shm && !queues && !semaphores { (shm, queues, semaphores) = (true, true, true) }
        var text = ""
        if queues {
            text += "\n------ Message Queues --------\n"
            text += "key        msqid      owner      perms      used-bytes   messages    \n\n"
        }
        if shm {
            let segments = context.host.withModel { model, _ in model.node(context.node)?.segments ?? [] }
            text += "\n------ Shared Memory Segments --------\n"
            text += "key        shmid      owner      perms      bytes      nattch     status      \n"
            for segment in segments.sorted(by: { $0.shmid < $1.shmid }) {
                let status = segment.markedForRemoval ? "dest  " : "      "
                text += String(format: "0x%08x %-10d root       %-10o %-10lu %-10lu ", segment.key, segment.shmid,
                               segment.mode, segment.size, segment.attachments) + status + "       \n"
            }
            text += "\n"
        }
        if semaphores {
            text += "\n------ Semaphore Arrays --------\n"
            text += "key        semid      owner      perms      nsems     \n\n"
        }
        context.output.out(text)
        return 0
    }
}
