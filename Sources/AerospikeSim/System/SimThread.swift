#if canImport(Glibc)
import Glibc
#endif

/// Starts detached POSIX threads for the daemon's blocking loops (accept, poll, sleep), which must never run on
/// Swift's cooperative pool.
public enum SimThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread; `name` appears in failure messages.
    public static func start(_ name: String, _ body: sending @escaping () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread: pthread_t = 0
        let created = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        if created == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Body>.fromOpaque(box).release()
            preconditionFailure("pthread_create failed for \(name): \(created)")
        }
    }

    /// Sleeps the calling thread for `seconds`.
    public static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Wall-clock time in epoch seconds.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
