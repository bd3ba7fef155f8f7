import AerospikeInfo
import Foundation
import Synchronization

/// `asinfo -v CMD [-h host] [-p port] [-l]`: asks a node's info port over the real info protocol (the node's own
/// address by default, also for `-h 127.0.0.1`/`localhost`) and prints the value.
struct AsinfoCommand {
    let context: CommandContext

    init(_ context: CommandContext) { self.context = context }

    func run() -> Int32 {
        var command: String?
        var host: String?
        var port: Int?
        var lineSeparated = false
        var arguments = context.parameters[...]
        while let argument = arguments.popFirst() {
            switch argument {
            case "-v", "--value": command = arguments.popFirst()
            case "-h", "--host": host = arguments.popFirst()
            case "-p", "--port": port = arguments.popFirst().flatMap { Int($0) }
            case "-l", "--lines": lineSeparated = true
            case "-U", "--user", "-P", "--password", "-t", "--timeout": _ = arguments.popFirst()
            default:
                if argument.hasPrefix("-v"), argument.count > 2 {
                    command = String(argument.dropFirst(2))
                } else {
                    context.complain("asinfo: unrecognized option '\(argument)'")
                    return 1
                }
            }
        }
        let (address, infoPort) = context.host.withModel { model, _ in
            (model.node(context.node)?.address ?? "127.0.0.1", model.configuration.infoPort)
        }
        var target = host ?? address
        if target == "127.0.0.1" || target == "localhost" { target = address }
        let targetPort = port ?? infoPort
        guard let command else {
            context.complain("asroll-sim: asinfo without -v (the info summary) is not simulated; use asinfo -v CMD")
            return 1
        }
        switch Self.request(command, host: target, port: targetPort) {
        case .success(let value):
            context.say(lineSeparated ? value.replacingOccurrences(of: ";", with: "\n") : value)
            return 0
        case .failure(let error):
            context.complain("request to \(target):\(targetPort) returned error: \(error.kind.rawValue) "
                + "(\(error.message))")
            return 1
        }
    }

    /// One blocking request (the calling thread waits; the connection runs on its own thread).
    static func request(_ command: String, host: String, port: Int) -> Result<String, InfoError> {
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            let connection = InfoConnection(host: host, port: port)
            do throws(InfoError) {
                let value = try await connection.request(command, timeout: .seconds(5))
                box.set(.success(value))
            } catch {
                box.set(.failure(error))
            }
            await connection.close()
            semaphore.signal()
        }
        semaphore.wait()
        return box.get() ?? .failure(InfoError(.timedOut, endpoint: "\(host):\(port)", message: "no reply"))
    }

    /// Carries the result from the request task to the waiting thread.
    private final class ResultBox: Sendable {
        private let value = Mutex<Result<String, InfoError>?>(nil)
        func set(_ result: Result<String, InfoError>) { value.withLock { $0 = result } }
        func get() -> Result<String, InfoError>? { value.withLock { $0 } }
    }
}
