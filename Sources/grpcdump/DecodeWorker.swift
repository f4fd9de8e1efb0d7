import Analysis
import Render

/// One decoding thread: a connection stage for its share of the connections and a view that
/// renders what it makes. Its state is touched only on its own thread.
final class DecodeWorker: @unchecked Sendable {
    let thread: WorkerThread
    private var stage: ConnectionStage
    private var view: LayerView
    private var out = TextOutput(keeping: true)
    private var events: [AnalysisEvent] = []
    private var ends: [(key: OrderKey, end: Int)] = []
    /// The TLS ClientHello randoms its connections showed, each with the key of the step that did.
    private var randoms: [(key: OrderKey, random: [UInt8])] = []

    init(index: Int, configuration: Analyzer.Configuration, view: LayerView) {
        thread = WorkerThread(name: "grpcdump decode \(index)")
        stage = ConnectionStage(configuration: configuration)
        self.view = view
        self.view.renderShare()
    }

    /// Decodes and renders a batch of work (on `thread`). The whole batch is decoded, then
    /// rendered: the two alternating at every packet would keep evicting each other's code and
    /// data from the core's caches.
    func run(_ work: [ShardWork]) -> RenderedShare {
        ends.removeAll(keepingCapacity: true)
        for item in work {
            stage.perform(item, into: &events, ends: &ends)
            let seen = stage.clientRandoms
            while randoms.count < seen.count { randoms.append((item.key, seen[randoms.count])) }
        }
        var share = RenderedShare()
        var start = 0
        for (key, end) in ends {
            view.render(events[start..<end], to: &out)
            share.mark(key, in: &out)
            start = end
        }
        events.removeAll(keepingCapacity: true)
        share.text = out.takeText()
        return share
    }

    /// What the worker kept over the capture (read once every batch given to it is done).
    var totals: (statistics: HTTP2Statistics, calls: CallStatistics, connections: Int, randoms: [(key: OrderKey, random: [UInt8])]) {
        (stage.statistics, view.callStatistics, view.connections, randoms)
    }
}
