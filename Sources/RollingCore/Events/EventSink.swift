import Foundation
import Synchronization

/// Where events go. Implementations must be cheap and must not block for long: they are called from the roll.
public protocol EventSink: Sendable {
    /// Records one event.
    func emit(_ event: RunEvent)
}

/// Sends each event to several sinks, in order.
public struct FanOutSink: EventSink {
    private let sinks: [any EventSink]

    /// A sink that forwards to every one of `sinks`.
    public init(_ sinks: [any EventSink]) {
        self.sinks = sinks
    }

    public func emit(_ event: RunEvent) {
        for sink in sinks { sink.emit(event) }
    }
}

/// Keeps events in memory, for tests and for the final report.
public final class CollectingSink: EventSink {
    private let storage = Mutex<[RunEvent]>([])

    /// An empty collector.
    public init() {}

    public func emit(_ event: RunEvent) {
        storage.withLock { $0.append(event) }
    }

    /// Every event so far.
    public var events: [RunEvent] { storage.withLock { $0 } }
}

/// Appends every event as a JSON line to a file (`events.jsonl`), flushed per line so nothing is lost on a crash.
public final class JSONLinesFileSink: EventSink {
    private let file: Mutex<AppendOnlyFile>

    /// Opens (creating) `path` for appending.
    public init(path: String) throws {
        file = Mutex(try AppendOnlyFile(path: path))
    }

    public func emit(_ event: RunEvent) {
        file.withLock { try? $0.append(line: event.jsonLine(), sync: false) }
    }
}

/// Writes each event as a JSON line to a file descriptor (stdout with `--json`).
public struct JSONLinesStreamSink: EventSink {
    private let fd: Int32

    /// A sink writing to `fd`.
    public init(fd: Int32) {
        self.fd = fd
    }

    public func emit(_ event: RunEvent) {
        writeAll(fd: fd, event.jsonLine() + "\n")
    }
}

/// Writes the whole string to `fd`, retrying short writes; errors are ignored (a closed terminal must not stop a roll).
public func writeAll(fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}
