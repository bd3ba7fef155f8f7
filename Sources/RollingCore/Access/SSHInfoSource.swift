import AerospikeInfo
import Foundation
import SSHClient

/// Info commands answered by running `asinfo` on the node over SSH (`info.via: ssh`), for clusters whose info port
/// the controller cannot reach. The answers are parsed exactly like replies from the wire.
public struct SSHInfoSource: InfoSource {
    /// The node's name, for messages.
    public var node: String
    /// The node's shell.
    public var shell: any RemoteShell
    /// `commands.asinfo` of the playbook, rendered per command.
    public var asinfo: @Sendable (String) -> String

    /// A source running `asinfo` through `shell`.
    public init(node: String, shell: any RemoteShell, asinfo: @escaping @Sendable (String) -> String) {
        self.node = node
        self.shell = shell
        self.asinfo = asinfo
    }

    static let boundary = "@@asroll-info-end"

    /// One shell line running every command, each followed by a boundary line carrying its exit status.
    func script(for commands: [String]) -> String {
        commands.map { "\(asinfo($0)); printf '\\n\(Self.boundary) %d\\n' $?" }.joined(separator: "; ")
    }

    public func request(_ commands: [String], timeout: Duration) async throws -> InfoResponse {
        let endpoint = "asinfo on \(node)"
        let result: CommandResult
        do {
            result = try await shell.run(script(for: commands), timeout: timeout, onOutput: nil)
        } catch {
            throw InfoError(.remoteCommandFailed, endpoint: endpoint, message: "\(error)")
        }
        var answers: [InfoAnswer] = []
        var pending: [Substring] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(Self.boundary) else {
                pending.append(line)
                continue
            }
            let status = Int(line.dropFirst(Self.boundary.count).trimmingCharacters(in: .whitespaces)) ?? -1
            let value = pending.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            pending = []
            let command = commands[answers.count]
            guard status == 0 else {
                let detail = [value, result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)]
                    .filter { !$0.isEmpty }.joined(separator: "; ")
                throw InfoError(.connectionRefused, endpoint: endpoint,
                                message: "`\(asinfo(command))` exited \(status): \(detail)")
            }
            answers.append(InfoAnswer(command: command, value: value))
            if answers.count == commands.count { break }
        }
        guard answers.count == commands.count else {
            throw InfoError(.malformedReply, endpoint: endpoint,
                            message: "asinfo printed \(answers.count) of \(commands.count) answers")
        }
        return try InfoResponse(answers: answers, endpoint: endpoint)
    }

    public func close() async {}
}
