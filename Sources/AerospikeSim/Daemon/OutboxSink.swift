import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes what the model produced: record lines to `DIR/record.jsonl`, log lines to each node's aerospike log, and
/// hands actions to the action queue. Called with the model's lock held, so lines never interleave.
final class OutboxSink: Sendable {
    private let recordDescriptor: Int32
    private let logDescriptors: [String: Int32]
    private let actions: ActionQueue
    /// The time of the last record line, so that `t` never goes backwards in the file (a transition computed at its
    /// exact due time can be noticed a tick after a later event was written).
    private let lastRecorded = Mutex(0.0)

    init(directory: SimDirectory, nodes: [String], actions: ActionQueue) {
        recordDescriptor = open(directory.record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        var logs: [String: Int32] = [:]
        for name in nodes {
            logs[name] = open(directory.node(name).aerospikeLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        }
        logDescriptors = logs
        self.actions = actions
    }

    func process(_ outbox: ModelOutbox) {
        guard !outbox.isEmpty else { return }
        let lines = lastRecorded.withLock { last in
            outbox.events.sorted { $0.time < $1.time }.map { event -> String in
                var event = event
                event.time = max(event.time, last)
                last = event.time
                return event.jsonLine + "\n"
            }.joined()
        }
        Self.append(lines, to: recordDescriptor)
        var perNode: [String: String] = [:]
        for (node, entry) in outbox.logLines { perNode[node, default: ""] += entry.fileLine + "\n" }
        for (node, text) in perNode { Self.append(text, to: logDescriptors[node] ?? -1) }
        for action in outbox.actions { actions.push(.model(action)) }
    }

    private static func append(_ text: String, to descriptor: Int32) {
        guard descriptor >= 0, !text.isEmpty else { return }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written <= 0 && errno != EINTR { return }
            if written > 0 { offset += written }
        }
    }
}

/// Work the daemon's action thread performs in order, outside the model's lock.
enum DaemonAction: Sendable {
    /// Something the model asked for.
    case model(ModelAction)
    /// Start the namespace of a node that is up from the start.
    case launchInitial(node: String)
    /// Stop the thread.
    case stop
}

/// A FIFO of daemon actions with a blocking pop.
final class ActionQueue: Sendable {
    private let items = Mutex<[DaemonAction]>([])
    private let available = DispatchSemaphore(value: 0)

    func push(_ action: DaemonAction) {
        items.withLock { $0.append(action) }
        available.signal()
    }

    func pop() -> DaemonAction {
        available.wait()
        return items.withLock { $0.removeFirst() }
    }
}
