import Analysis
import ArgumentParser
import CallDiff
import Capture
import GRPC
import TLS

/// `grpcdump diff A B`: the gRPC calls of two captures paired and compared (docs/diff.md).
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump diff",
        abstract: "Compare the gRPC calls of two captures.",
        discussion: """
            Calls are paired by method and order (or by a request field with --key) and compared: \
            status, headers, metadata and trailers, every message field by field (with schemas when \
            loaded, as in -v), message counts, and latency beyond a threshold. Exit status as diff(1): \
            0 when the captures are the same, 1 when they differ, 2 on trouble.
            """)

    @Argument(help: ArgumentHelp("The first capture (A).", valueName: "a"))
    var a: String

    @Argument(help: ArgumentHelp("The second capture (B).", valueName: "b"))
    var b: String

    @Option(help: ArgumentHelp("Pair the calls of a method by this field of their first request (e.g. id, user.id).", valueName: "field"))
    var key: String?

    @Option(name: .customLong("ignore-header"), help: ArgumentHelp("Leave this header, metadata or trailer out; repeatable.", valueName: "name"))
    var ignoredHeaders: [String] = []

    @Option(name: .customLong("ignore-field"), help: ArgumentHelp("Leave message fields matching this out: a name (created_at), a path or a glob (response[*].users[*].email); repeatable.", valueName: "path"))
    var ignoredFields: [String] = []

    @Option(name: .customLong("latency-threshold"), help: ArgumentHelp("Report latency changes over this percentage (and over 1 ms).", valueName: "percent"))
    var latencyThreshold = 50.0

    @Flag(help: "The differences as one JSON object.")
    var json = false

    @OptionGroup(title: "Schemas") var schemas: SchemaOptions
    @OptionGroup(title: "TLS") var keys: KeyLogOptions

    func validate() throws {
        guard latencyThreshold >= 0 else { throw ValidationError("--latency-threshold must not be negative") }
    }

    func run() async throws {
        var options = DiffOptions()
        options.key = key
        options.ignoredHeaders = Set(ignoredHeaders.map { $0.lowercased() })
        options.ignoredFields = ignoredFields
        options.latencyThresholdPercent = latencyThreshold
        do { options.types = try await SchemaLoader(options: schemas).load() } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        let keyLog: KeyLog
        do { keyLog = try keys.load() } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        // The two captures are read at the same time, one a thread.
        async let readA = Result { () throws(ReadError) in try Self.calls(in: a, keyLog: keyLog) }
        async let readB = Result { () throws(ReadError) in try Self.calls(in: b, keyLog: keyLog) }
        let callsA: [GRPCCall], callsB: [GRPCCall]
        do {
            let (resultA, resultB) = await (readA, readB)
            callsA = try resultA.get()
            callsB = try resultB.get()
        } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        let diff = CaptureDiff.compare(callsA, callsB, options: options)
        var out = TextOutput()
        if json {
            out.line(DiffReport.json(diff, nameA: a, nameB: b))
        } else {
            for line in DiffReport.lines(diff, nameA: a, nameB: b, callsA: callsA.count, callsB: callsB.count) { out.line(line) }
        }
        out.flush()
        if !diff.isSame { throw ExitCode(1) }
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every call of a capture file (of the packets `filter` keeps), in the order they completed.
    static func calls(in path: String, keyLog: KeyLog = KeyLog(), filter: (@Sendable (CapturedPacket) -> Bool)? = nil) throws(ReadError) -> [GRPCCall] {
        var file: InputFile
        do { file = try InputFile(path: path) } catch { throw ReadError(description: error.description) }
        defer { file.close() }
        // Only calls are compared: no TCP and HTTP/2 detail, no frame notes.
        var configuration = Analyzer.Configuration()
        configuration.reportsLayerDetail = false
        configuration.describesFrames = false
        configuration.keyLog = keyLog
        var session = CaptureSession(configuration: configuration, filter: filter)
        var events: [AnalysisEvent] = []
        var calls: [GRPCCall] = []
        func collect() {
            for case let .call(call) in events { calls.append(call) }
            events.removeAll(keepingCapacity: true)
        }
        do {
            while let chunk = try file.read() {
                session.feed(chunk, into: &events)
                collect()
            }
        } catch { throw ReadError(description: error.description) }
        session.finish(into: &events)
        collect()
        guard session.foundCapture else { throw ReadError(description: "\(path): not a pcap or pcapng capture") }
        return calls
    }
}
