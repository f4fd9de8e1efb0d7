import Analysis
import Render
import Schema

/// Renders analysis events for the chosen layer: diagnostics to standard error, the view to standard output.
struct LayerView {
    let layer: LayerName
    let json: Bool
    private var table: TCPConnectionTable
    private var frames: HTTP2FrameView
    private var sessions: TLSSessionView
    private var calls: CallView
    private let verbose: Int
    private(set) var connections = 0
    private var printedHeader = false

    init(layer: LayerName, verbose: Int, json: Bool, hex: Bool) {
        self.layer = layer
        self.json = json
        self.verbose = verbose
        table = TCPConnectionTable(verbose: verbose > 0)
        frames = HTTP2FrameView(json: json)
        sessions = TLSSessionView(json: json, verbose: verbose > 0)
        calls = CallView(verbosity: verbose, hex: hex, json: json)
    }

    mutating func configureCalls(filter: CallFilter, jsonRaw: Bool, colour: Bool, types: MessageTypes?, preserveNames: Bool, live: Bool = false,
                                 export: GrpcurlExport? = nil, statisticsPerMethod: Bool = true) {
        calls.filter = filter
        calls.countsPerMethod = statisticsPerMethod
        calls.export = export
        calls.liveMessages = live
        calls.types = types
        calls.preserveNames = preserveNames
        calls.jsonRaw = jsonRaw
        calls.colour = colour
    }

    var callStatistics: CallStatistics { calls.statistics }

    /// The header the TCP table starts with, when this view prints one.
    var tableHeader: String? { layer == .tcp && !json ? table.header : nil }

    /// For a view rendering a share of the connections (a decoding thread): the table header is
    /// left to whoever merges the shares, and the schemas are a copy of its own.
    mutating func renderShare() {
        printedHeader = true
        calls.types = calls.types?.independentCopy()
    }

    mutating func render(_ events: some Collection<AnalysisEvent>, to out: inout TextOutput) {
        for event in events {
            if case let .diagnostic(diagnostic) = event {
                out.diagnostic(diagnostic.description)
                continue
            }
            if case .tcp(.closed) = event { connections += 1 }
            switch layer {
            case .tcp: renderTCP(event, &out)
            case .tls: for line in sessions.render(event) { out.line(line) }
            case .http2: for line in frames.render(event) { out.line(line) }
            case .grpc:
                // -vv: the frame view interleaved with the calls (built only when shown).
                if verbose >= 2, !calls.json { for line in frames.render(event) { out.line(line) } }
                if calls.writesJSONLines {
                    out.appendLines { calls.renderJSON(event, appendingTo: &$0) }
                } else {
                    for line in calls.render(event) { out.line(line) }
                }
            }
        }
    }

    private mutating func renderTCP(_ event: AnalysisEvent, _ out: inout TextOutput) {
        guard case let .tcp(tcpEvent) = event else { return }
        if !json { for line in table.verboseLines(tcpEvent) { emit(line, &out) } }
        if case let .closed(summary) = tcpEvent {
            if json { return out.line(table.json(summary)) }
            emit(table.line(summary), &out)
            for line in table.detailLines(summary) { emit(line, &out) }
        }
    }

    private mutating func emit(_ line: String, _ out: inout TextOutput) {
        if !printedHeader {
            printedHeader = true
            out.line(table.header)
        }
        out.line(line)
    }
}
