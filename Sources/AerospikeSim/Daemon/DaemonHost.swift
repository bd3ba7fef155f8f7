import Synchronization

/// The daemon's `SimulationHost`: the real clock, and the model behind a mutex whose holder advances it to now and
/// hands its outbox to the sink before letting go.
final class DaemonHost: SimulationHost {
    private let model: Mutex<ClusterModel>
    private let sink: OutboxSink

    init(model: ClusterModel, sink: OutboxSink) {
        var model = model
        sink.process(model.takeOutbox())
        self.model = Mutex(model)
        self.sink = sink
    }

    func now() -> Double { SimThread.now() }

    func withModel<T>(_ body: (inout ClusterModel, Double) throws -> T) rethrows -> T {
        try model.withLock { model in
            let time = SimThread.now()
            model.advance(to: time)
            let result = try body(&model, time)
            sink.process(model.takeOutbox())
            return result
        }
    }

    func sleep(_ seconds: Double) { SimThread.sleep(seconds) }
}
