import Foundation

/// A `SerialExecutor` that runs every job on one dedicated thread of its own.
///
/// Actors that make blocking C calls (libssh2, `poll`, `connect`) use it as their `unownedExecutor`, so those calls
/// never occupy Swift's cooperative pool, which has only as many threads as the machine has cores.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // Invariant: `jobs` and `isShutDown` are read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isShutDown = false

    /// Starts the thread; `name` shows up in debuggers and `top -H`.
    public init(name: String) {
        let thread = Thread { [self] in self.runJobs() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands a job to the thread; called by the Swift runtime.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the jobs already queued and then exit. Further jobs are still run if enqueued before
    /// the queue drains; after that the executor must not be used.
    public func shutdown() {
        condition.lock()
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !isShutDown {
                condition.wait()
            }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
