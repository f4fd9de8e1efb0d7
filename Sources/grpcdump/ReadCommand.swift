import Analysis
import Capture
import LibPcap
import Reassembly
import Render

/// Reading a capture file: wires the input, the session and the chosen view together.
struct ReadCommand {
    let input: InputOptions
    let output: OutputOptions

    /// Returns the exit status: 0 when the capture could be read, 1 when nothing could.
    func run() throws -> Int32 {
        var configuration = Analyzer.Configuration()
        configuration.reassembly.maxBufferedBytesPerDirection = input.maxTCPBuffer
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

        var view = TCPLayerView(table: TCPConnectionTable(verbose: output.verbose > 0))
        var out = TextOutput()
        var events: [AnalysisEvent] = []
        var readError: String?
        while true {
            let chunk: ArraySlice<UInt8>?
            do { chunk = try file.read() } catch {
                readError = error.description
                break
            }
            guard let chunk else { break }
            session.feed(chunk, into: &events)
            view.render(events, to: &out)
            events.removeAll(keepingCapacity: true)
        }
        session.finish(into: &events)
        view.render(events, to: &out)
        out.flush()
        if let readError { TextOutput.error(readError) }
        TextOutput.error(CaptureSummary.text(session.statistics, connections: view.connections))
        return session.foundCapture ? 0 : 1
    }
}

/// Renders analysis events for `--layer tcp`: diagnostics to standard error, the table to standard output.
struct TCPLayerView {
    let table: TCPConnectionTable
    private(set) var connections = 0
    private var printedHeader = false

    init(table: TCPConnectionTable) {
        self.table = table
    }

    mutating func render(_ events: [AnalysisEvent], to out: inout TextOutput) {
        for event in events {
            switch event {
            case let .diagnostic(diagnostic):
                out.flush()
                TextOutput.error(diagnostic.description)
            case let .tcp(tcpEvent):
                for line in table.verboseLines(tcpEvent) { emit(line, &out) }
                if case let .closed(summary) = tcpEvent {
                    connections += 1
                    emit(table.line(summary), &out)
                    for line in table.detailLines(summary) { emit(line, &out) }
                }
            }
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
