import Analysis
import Capture
import HTTP2
import LibPcap
import Render
import Report
import Schema
import TLS

/// What the user asked to see, for a file or a live capture.
struct ViewRequest {
    let input: InputOptions
    let output: OutputOptions
    let filter: CallFilter
    let types: MessageTypes?
    let preserveNames: Bool
    /// Secrets for TLS, and the key log files (a live capture reads them again as they grow).
    var keyLog = KeyLog()
    var keyLogFiles: [String] = []
    /// `grpcdump report`: the page to write instead of the view.
    var report: ReportDestination?
    /// `--export grpcurl`: commands instead of the calls, with the schema files as given.
    var export: GrpcurlExport?
}

/// What a file or a live capture is decoded and shown with: the analysis configuration, the
/// packet filter and the view of the chosen layer.
struct ViewSetup {
    var configuration = Analyzer.Configuration()
    var filter: (@Sendable (CapturedPacket) -> Bool)?
    var view: LayerView

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// `bpfFilter`: applied by grpcdump to the packets it reads (a live capture filters in the kernel).
    init(_ request: ViewRequest, bpfFilter: String?, live: Bool) throws(SetupError) {
        let input = request.input, output = request.output
        configuration.reassembly.maxBufferedBytesPerDirection = input.maxTCPBuffer
        configuration.reassembly.maxConnections = input.maxConnections
        configuration.calls.maxOpenCalls = input.maxOpenCalls
        configuration.calls.maxMessageLength = input.maxMessage
        configuration.http2 = HTTP2Limits(maxOpenStreams: input.maxOpenCalls, maxHeaderBlockBytes: input.maxHeaderBlock)
        configuration.keyLog = request.keyLog
        configuration.keepsClientRandoms = input.writeFile != nil  // the secrets written beside the packets
        configuration.depth = switch output.layer {
        case .tcp: .tcp
        case .tls: .tls
        case .http2: .http2
        case .grpc: .calls
        }
        // The call view shows frames only at -vv (not in JSON); otherwise nothing between
        // connections and calls is reported or annotated.
        // The report lists each call's frames with their notes, and draws the windows.
        let showsFrames = output.layer == .http2 || output.layer == .grpc && output.verbose >= 2 && !output.json || request.report != nil
        configuration.reportsLayerDetail = output.layer != .grpc || showsFrames
        configuration.describesFrames = showsFrames
        // Live, with messages shown: each message as it arrives, not with its completed call.
        let messagesAsTheyArrive = live && (output.verbose > 0 || output.hex) && !output.json && output.layer == .grpc
        configuration.calls.reportsArrivingMessages = messagesAsTheyArrive
        // The call summary shows how many messages went each way, not what they hold, and none
        // of the header fields; a report shows them, and with schemas a call's unknown method
        // may be named from its messages (and its unknown header entries).
        let keepsCallDetail = output.layer != .grpc || output.showsMessages || request.report != nil || request.types != nil
        configuration.calls.keepsMessageBodies = keepsCallDetail
        configuration.calls.keepsHeaderFields = keepsCallDetail
        if let bpfFilter, !bpfFilter.isEmpty {
            let compiled: BPFFilter
            do { compiled = try BPFFilter(expression: bpfFilter) } catch { throw SetupError(description: error.description) }
            filter = { packet in (try? compiled.matches(packet)) ?? false }
        }
        view = LayerView(layer: output.layer, verbose: output.verbose, json: output.json, hex: output.hex)
        view.configureCalls(
            filter: request.filter, jsonRaw: output.jsonRaw, colour: TextOutput.wantsColour(disabled: output.noColour || output.json || request.export != nil),
            types: request.types, preserveNames: request.preserveNames, live: messagesAsTheyArrive, export: request.export,
            statisticsPerMethod: output.stats)
    }
}

/// What a capture file is read through: one thread (`CapturePipeline`) or several (`ThreadedPipeline`).
protocol CaptureDecoding {
    mutating func feed(_ chunk: ArraySlice<UInt8>)
    /// The input has no more for now (a read shorter than asked for: a pipe from a capturing
    /// tcpdump): what it gave is decoded and written out rather than held for more.
    mutating func caughtUp()
    /// A progress line on standard error, after the output so far (`nil` clears it).
    mutating func progress(_ line: String?)
    /// The end of input: open calls and connections, `--stats`, and everything written out.
    mutating func finish()
    var statistics: CaptureStatistics { get }
    /// Connections the view has seen closed, for the closing summary.
    var connections: Int { get }
    var clientRandoms: [[UInt8]] { get }
    var keyLog: KeyLog { get }
    /// With `grpcdump report`, once finished: what the page shows.
    func report(for destination: ReportDestination) -> Report?
}

extension CaptureDecoding {
    /// Whether the input held anything readable as a capture (at least its header).
    var foundCapture: Bool { statistics.format != nil }
}

/// Decoding on one thread, the view rendering each batch of events where they are made: a live
/// capture (whose output stays in step with it) and `--threads 1`.
struct CapturePipeline: CaptureDecoding {
    var session: CaptureSession
    private var view: LayerView
    private var out = TextOutput()
    private var events: [AnalysisEvent] = []
    /// With `grpcdump report`: what the page will show, gathered instead of the view's output.
    private var collector: ReportCollector?
    let output: OutputOptions

    init(_ request: ViewRequest, bpfFilter: String?, live: Bool) throws(ViewSetup.SetupError) {
        let setup = try ViewSetup(request, bpfFilter: bpfFilter, live: live)
        output = request.output
        session = CaptureSession(configuration: setup.configuration, filter: setup.filter)
        view = setup.view
        if request.report != nil {
            collector = ReportCollector(options: .init(filter: request.filter, style: CallJSON.Style(
                types: request.types, preserveNames: request.preserveNames, maxMessageBytes: ReportDestination.maxMessageBytes)))
        }
    }

    mutating func feed(_ chunk: ArraySlice<UInt8>) {
        session.feed(chunk, into: &events)
        render()
    }

    /// Secrets that arrived after the start (a live capture's key log grew).
    mutating func addSecrets(_ keys: KeyLog) {
        session.addSecrets(keys, into: &events)
        render()
    }

    mutating func ingest(_ record: CaptureRecord) {
        session.ingest(record, into: &events)
        render()
    }

    mutating func caughtUp() {
        flush()
    }

    mutating func progress(_ line: String?) {
        flush()  // the calls so far first, then the progress line
        TextOutput.progress(line)
    }

    mutating func finish() {
        session.finish(into: &events)
        render()
        for line in output.statisticsLines(view.callStatistics) { out.line(line) }
        out.flush()
    }

    /// Writes out what was rendered so far.
    mutating func flush() {
        out.flush()
    }

    var statistics: CaptureStatistics { session.statistics }
    var connections: Int { collector?.connectionCount ?? view.connections }
    var clientRandoms: [[UInt8]] { session.analyzer.clientRandoms }
    var keyLog: KeyLog { session.analyzer.keyLog }
    /// Calls shown so far.
    var callsShown: Int { collector?.callCount ?? view.callStatistics.total }

    func report(for destination: ReportDestination) -> Report? {
        collector.map { Report($0, statistics: session.statistics, title: destination.title, filterText: destination.filterText) }
    }

    private mutating func render() {
        guard !events.isEmpty else { return }
        if collector != nil {
            // Diagnostics still go to standard error as they come.
            for case let .diagnostic(diagnostic) in events { out.diagnostic(diagnostic.description) }
            collector!.add(events)
        } else {
            view.render(events, to: &out)
        }
        events.removeAll(keepingCapacity: true)
    }
}
