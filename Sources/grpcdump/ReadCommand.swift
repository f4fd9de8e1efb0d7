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
    let types: MessageTypes?
    let preserveNames: Bool

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
        view.configureCalls(
            filter: filter, jsonRaw: output.jsonRaw, colour: TextOutput.wantsColour(disabled: output.noColour || output.json),
            types: types, preserveNames: preserveNames)
        var out = TextOutput()
        var events: [AnalysisEvent] = []
        var readError: String?
        var progress = ProgressLine(totalBytes: file.size)
        while true {
            let chunk: ArraySlice<UInt8>?
            do { chunk = try file.read() } catch {
                readError = error.description
                break
            }
            guard let chunk else { break }
            if let line = progress.advance(by: chunk.count) {
                out.flush()  // the calls so far first, then the progress line
                TextOutput.progress(line)
            }
            session.feed(chunk, into: &events)
            view.render(events, to: &out)
            events.removeAll(keepingCapacity: true)
        }
        progress.clear()
        session.finish(into: &events)
        view.render(events, to: &out)
        if output.stats { for line in output.json ? view.callStatistics.jsonLines : view.callStatistics.lines { out.line(line) } }
        out.flush()
        if let readError { TextOutput.error(readError) }
        TextOutput.error(CaptureSummary.text(session.statistics, connections: view.connections, http2: session.analyzer.http2?.statistics))
        return session.foundCapture ? 0 : 1
    }
}
