#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Capture
import LibPcap
import Reassembly
import Render

/// Reading a capture file: wires the input, the session and the chosen view together.
struct ReadCommand {
    let input: InputOptions
    let output: OutputOptions
    let filter: CallFilter

    /// Returns the exit status: 0 when the capture could be read, 1 when nothing could.
    func run() throws -> Int32 {
        var configuration = Analyzer.Configuration()
        configuration.reassembly.maxBufferedBytesPerDirection = input.maxTCPBuffer
        configuration.decodeHTTP2 = output.layer != .tcp
        configuration.assembleCalls = output.layer == .grpc
        var session = CaptureSession(configuration: configuration)
        if !input.filter.isEmpty {
            let filter: BPFFilter
            do {
                filter = try BPFFilter(expression: input.filter.joined(separator: " "))
            } catch {
                TextOutput.error(error.description)
                return 2
            }
            session.filter = { packet in (try? filter.matches(packet)) ?? false }
        }
        var file: InputFile
        do {
            file = try InputFile(path: input.file)
        } catch {
            TextOutput.error(error.description)
            return 1
        }
        defer { file.close() }

        var view = LayerView(layer: output.layer, verbose: output.verbose, json: output.json, hex: output.hex)
        view.configureCalls(filter: filter, jsonRaw: output.jsonRaw, colour: TextOutput.wantsColour(disabled: output.noColour || output.json))
        var out = TextOutput()
        var events: [AnalysisEvent] = []
        var readError: String?
        var bytesRead: Int64 = 0
        var lastProgress = monotonicSeconds()
        let showProgress = (file.size ?? 0) > 32 << 20
        while true {
            let chunk: ArraySlice<UInt8>?
            do { chunk = try file.read() } catch {
                readError = error.description
                break
            }
            guard let chunk else { break }
            bytesRead += Int64(chunk.count)
            if showProgress, monotonicSeconds() - lastProgress >= 1, let size = file.size {
                lastProgress = monotonicSeconds()
                out.flush()
                TextOutput.progress("reading \(bytesRead * 100 / max(size, 1))% (\(bytesRead >> 20) of \(size >> 20) MiB)")
            }
            session.feed(chunk, into: &events)
            view.render(events, to: &out)
            events.removeAll(keepingCapacity: true)
        }
        if showProgress { TextOutput.progress(nil) }
        session.finish(into: &events)
        view.render(events, to: &out)
        if output.stats { for line in output.json ? view.callStatistics.jsonLines : view.callStatistics.lines { out.line(line) } }
        out.flush()
        if let readError { TextOutput.error(readError) }
        TextOutput.error(CaptureSummary.text(session.statistics, connections: view.connections, http2: session.analyzer.http2?.statistics))
        return session.foundCapture ? 0 : 1
    }
}

/// Renders analysis events for the chosen layer: diagnostics to standard error, the view to standard output.
struct LayerView {
    let layer: LayerName
    private var table: TCPConnectionTable
    private var frames: HTTP2FrameView
    private var calls: CallView
    private let verbose: Int
    private(set) var connections = 0
    private var printedHeader = false

    init(layer: LayerName, verbose: Int, json: Bool, hex: Bool) {
        self.layer = layer
        self.verbose = verbose
        table = TCPConnectionTable(verbose: verbose > 0)
        frames = HTTP2FrameView(json: json)
        calls = CallView(verbosity: verbose, hex: hex, json: json)
    }

    mutating func configureCalls(filter: CallFilter, jsonRaw: Bool, colour: Bool) {
        calls.filter = filter
        calls.jsonRaw = jsonRaw
        calls.colour = colour
    }

    var callStatistics: CallStatistics { calls.statistics }

    mutating func render(_ events: [AnalysisEvent], to out: inout TextOutput) {
        for event in events {
            if case let .diagnostic(diagnostic) = event {
                out.flush()
                TextOutput.error(diagnostic.description)
                continue
            }
            if case .tcp(.closed) = event { connections += 1 }
            switch layer {
            case .tcp: renderTCP(event, &out)
            case .http2: for line in frames.render(event) { out.line(line) }
            case .grpc:
                // -vv: the frame view interleaved with the calls (built only when shown).
                if verbose >= 2, !calls.json { for line in frames.render(event) { out.line(line) } }
                for line in calls.render(event) { out.line(line) }
            }
        }
    }

    private mutating func renderTCP(_ event: AnalysisEvent, _ out: inout TextOutput) {
        guard case let .tcp(tcpEvent) = event else { return }
        for line in table.verboseLines(tcpEvent) { emit(line, &out) }
        if case let .closed(summary) = tcpEvent {
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

/// Seconds on the monotonic clock, for pacing the progress line.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
