import Foundation
import Synchronization
import SystemSupport

/// Turns events into lines an operator reads: one line per step with its elapsed time, gate changes, and while a
/// gate waits, why (per node) and the migrations remaining, refreshed in place on a terminal.
public final class HumanRenderer: EventSink {
    private let fd: Int32
    private let isTerminal: Bool
    private let state = Mutex<(liveLine: Bool, lastWaiting: (shape: String, time: Date)?)>((false, nil))
    /// How often an unchanged kind of wait is printed again when the output is not a terminal.
    private let waitingReminder: TimeInterval = 15

    /// A renderer writing to `fd`; on a terminal, waiting lines are rewritten in place.
    public init(fd: Int32) {
        self.fd = fd
        self.isTerminal = isatty(fd) == 1
    }

    public func emit(_ event: RunEvent) {
        guard let text = Self.line(for: event) else { return }
        state.withLock { state in
            let clock = Self.clock(event.time)
            let isLive = event.event == .gateWaiting || event.event == .stepStarted
            if isTerminal && isLive {
                writeAll(fd: fd, "\r\u{1B}[K\(clock)  \(text.prefix(200))")
                state.liveLine = true
                return
            }
            if event.event == .stepStarted { return }
            if event.event == .gateWaiting {
                // Off a terminal, a wait is printed when its kind changes, then every few seconds.
                let shape = text.filter { !$0.isNumber }
                if let last = state.lastWaiting, last.shape == shape,
                   event.time.timeIntervalSince(last.time) < waitingReminder
                {
                    return
                }
                state.lastWaiting = (shape, event.time)
            }
            if state.liveLine {
                writeAll(fd: fd, "\r\u{1B}[K")
                state.liveLine = false
            }
            writeAll(fd: fd, "\(clock)  \(text)\n")
        }
    }

    /// The line for `event`, or `nil` for events that only machines need.
    public static func line(for event: RunEvent) -> String? {
        switch event.event {
        case .stepStarted:
            return "\(event.node ?? "-")  \(event.step ?? "")  started"
        case .stepFinished:
            return "\(event.node ?? "-")  \(event.step ?? "")  done in \(seconds(event.duration))"
        case .stepSkipped, .stepProgress, .preflight, .leaseWritten, .leaseReleased, .nodeStarted, .nodeFinished,
             .runStarted:
            return event.message
        case .gateWaiting:
            let migrations = event.details["migrations_remaining"]?.intValue ?? 0
            return event.message + (migrations > 0 ? "  [migrations remaining: \(migrations)]" : "")
        case .gate:
            return event.message
        case .stepFailed:
            // The whole failure (command, output, what to do) is printed once more at the end of the run.
            return "FAILED " + (event.message.split(separator: "\n").first.map(String.init) ?? event.message)
        case .warning:
            return "WARNING " + event.message
        case .refused:
            return "REFUSED " + event.message
        case .interrupted, .runHalted:
            return event.message
        case .runFinished:
            return event.message + (event.duration.map { " in \(seconds($0))" } ?? "")
        }
    }

    private static func seconds(_ value: Double?) -> String {
        guard let value else { return "?" }
        return Duration.milliseconds(Int64(value * 1000)).formattedSeconds
    }

    private static func clock(_ date: Date) -> String {
        date.formatted(clockStyle)
    }

    private static let clockStyle = Date.VerbatimFormatStyle(
        format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: .current, calendar: .current)
}
