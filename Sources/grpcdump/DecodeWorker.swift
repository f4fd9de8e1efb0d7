import Analysis
import Dispatch
import Render

/// One decoding thread: a connection stage for its share of the connections and a view that
/// renders what it makes. Its state is touched only on its own queue.
final class DecodeWorker: @unchecked Sendable {
    let queue: DispatchQueue
    private var stage: ConnectionStage
    private var view: LayerView
    private var out = TextOutput(keeping: true)
    private var events: [AnalysisEvent] = []
    /// The TLS ClientHello randoms its connections showed, each with the key of the step that did.
    private var randoms: [(key: OrderKey, random: [UInt8])] = []

    init(index: Int, configuration: Analyzer.Configuration, view: LayerView) {
        queue = DispatchQueue(label: "grpcdump.decode.\(index)")
        stage = ConnectionStage(configuration: configuration)
        self.view = view
        self.view.leaveTableHeader()
    }

    /// Decodes and renders a batch of work (on `queue`).
    func run(_ work: [ShardWork]) -> RenderedShare {
        var share = RenderedShare()
        for item in work {
            stage.perform(item, events: &events) { key, events in
                view.render(events, to: &out)
                share.take(key, from: &out)
            }
            let seen = stage.clientRandoms
            while randoms.count < seen.count { randoms.append((item.key, seen[randoms.count])) }
        }
        return share
    }

    /// What the worker kept over the capture, once its queue is idle.
    var totals: (statistics: HTTP2Statistics, calls: CallStatistics, connections: Int, randoms: [(key: OrderKey, random: [UInt8])]) {
        queue.sync { (stage.statistics, view.callStatistics, view.connections, randoms) }
    }
}
