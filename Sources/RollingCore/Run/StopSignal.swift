import Foundation
import Synchronization

/// The operator's request to stop (SIGINT or SIGTERM): the first lets the current step finish and verify and
/// starts nothing further; the second ends the process at once (the journal still allows `resume`).
public final class StopSignal: Sendable {
    private let requests = Mutex(0)
    // The sources must live as long as the process; they are only appended to, under the lock.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []
    private let installLock = Mutex(())

    /// A signal that nothing has raised yet.
    public init() {}

    /// Whether a stop was requested.
    public var isRequested: Bool { requests.withLock { $0 > 0 } }

    /// Requests a stop, as a signal would; returns how many requests there have been.
    @discardableResult
    public func request() -> Int {
        requests.withLock {
            $0 += 1
            return $0
        }
    }

    /// Routes SIGINT and SIGTERM here. `onFirst` says what happens next; a second signal exits with 130.
    public func install(onFirst: @escaping @Sendable (Int32) -> Void) {
        // A parent may have started us with these signals blocked (Foundation's Process does): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                if request() == 1 {
                    onFirst(signalNumber)
                } else {
                    let message = "\nasroll: second interrupt, stopping at once; `asroll resume` re-probes the node "
                        + "and continues\n"
                    FileHandle.standardError.write(Data(message.utf8))
                    exit(130)
                }
            }
            source.resume()
            installLock.withLock { _ in sources.append(source) }
        }
    }
}
