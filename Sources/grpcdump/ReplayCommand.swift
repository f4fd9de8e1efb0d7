import ArgumentParser
import CallDiff
import Capture
import Foundation
import GRPC
import LibPcap
import Render
import Replay
import WireCore
#if canImport(Glibc)
import Glibc
#endif

/// `grpcdump replay FILE --target HOST:PORT`: the captured calls sent again and each answer
/// compared with the captured one by the diff engine (docs/replay.md).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump replay",
        abstract: "Send the calls of a capture again to a server and compare the answers with the captured ones.",
        discussion: """
            Every kind of call is sent again with its captured metadata (less what the gRPC library \
            sets itself; grpc-timeout from the captured deadline), compression and request messages, \
            byte for byte: no schema is needed (schemas show the differences by field name). Replay \
            re-executes whatever the calls do on the server: side effects happen again. Exit status: \
            0 when every answer matches, 1 when some differ or a call could not be sent again, 2 on trouble.
            """)

    @Argument(help: ArgumentHelp("The capture whose calls are sent again.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The server to send them to.", valueName: "host:port"))
    var target: String

    @Option(help: ArgumentHelp("Only calls whose method matches this shell glob, e.g. '*UserService/Get*'.", valueName: "glob"))
    var method: String?

    @Option(help: ArgumentHelp("Only calls that had this status (name or number); repeatable.", valueName: "code"))
    var status: [String] = []

    @Flag(help: "Use TLS (the system's trust roots, or --cacert).") var tls = false
    @Flag(help: "Plaintext HTTP/2 with prior knowledge (the default).") var plaintext = false
    @Option(help: ArgumentHelp("Trust this CA certificate (PEM) for the server's (implies --tls).", valueName: "file")) var cacert: String?
    @Option(help: ArgumentHelp("Client certificate (PEM) for mutual TLS (implies --tls; with --key).", valueName: "file")) var cert: String?
    @Option(help: ArgumentHelp("Client private key (PEM) for mutual TLS.", valueName: "file")) var key: String?
    @Option(help: ArgumentHelp("The name to ask for in SNI and check the certificate against (default: the host).", valueName: "name")) var servername: String?
    @Option(help: ArgumentHelp(":authority of the calls (default: the target).", valueName: "authority")) var authority: String?

    @Option(help: ArgumentHelp("When to send: 'fast' (as --concurrency and --rate allow) or 'captured' (each call and request message as long after the first as in the capture).", valueName: "timing"))
    var timing: ReplayTiming = .fast
    @Option(help: ArgumentHelp("Start at most this many calls a second.", valueName: "n")) var rate: Double?
    @Option(help: ArgumentHelp("Calls in flight at once (default 1: one after the other, in capture order).", valueName: "n")) var concurrency = 1
    @Option(name: .customLong("header"), help: ArgumentHelp("Add or replace this metadata entry on every call; repeatable.", valueName: "name: value")) var headers: [String] = []
    @Option(name: .customLong("strip-header"), help: ArgumentHelp("Leave this captured metadata entry out; repeatable.", valueName: "name")) var strippedHeaders: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Print what would be sent, and send nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Record the replayed traffic (with its TLS secrets) as this pcapng file.", valueName: "file.pcapng")) var save: String?

    @Option(name: .customLong("ignore-header"), help: ArgumentHelp("Leave this header, metadata or trailer out of the comparison; repeatable.", valueName: "name"))
    var ignoredHeaders: [String] = []
    @Option(name: .customLong("ignore-field"), help: ArgumentHelp("Leave message fields matching this out of the comparison (as in diff); repeatable.", valueName: "path"))
    var ignoredFields: [String] = []
    @Option(name: .customLong("latency-threshold"), help: ArgumentHelp("Also report latency changes over this percentage (not compared without it).", valueName: "percent"))
    var latencyThreshold: Double?
    @Flag(help: "The comparison as one JSON object.") var json = false

    @OptionGroup(title: "Schemas") var schemas: SchemaOptions
    @OptionGroup(title: "TLS") var keys: KeyLogOptions

    @Argument(help: ArgumentHelp("A filter expression in tcpdump's syntax choosing the captured packets.", valueName: "filter"))
    var filter: [String] = []

    func validate() throws {
        guard CallCommand.split(target) != nil else { throw ValidationError("--target must be HOST:PORT, got '\(target)'") }
        if plaintext, tls || cacert != nil || cert != nil { throw ValidationError("--plaintext goes without --tls, --cacert and --cert") }
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        for code in status where StatusCode(nameOrNumber: code) == nil { throw ValidationError("unknown status '\(code)'") }
        for header in headers where ReplayEdits.header(header) == nil { throw ValidationError("--header must be 'name: value', got '\(header)'") }
    }

    func run() async throws {
        var options = DiffOptions()
        options.ignoredHeaders = ReplayEdits.notCompared.union(ignoredHeaders.map { $0.lowercased() })
        options.ignoredFields = ignoredFields
        options.latencyThresholdPercent = latencyThreshold ?? .infinity
        // The calls --method and --status choose (the filter expression chooses packets).
        let chosen = CallFilter(methodGlob: method, statuses: status.compactMap(StatusCode.init(nameOrNumber:)))
        let captured: [GRPCCall]
        do {
            options.types = try await SchemaLoader(options: schemas).load()
            var packetFilter: (@Sendable (CapturedPacket) -> Bool)?
            if !filter.isEmpty {
                let compiled = try BPFFilter(expression: filter.joined(separator: " "))
                packetFilter = { (try? compiled.matches($0)) ?? false }
            }
            captured = try DiffCommand.calls(in: file, keyLog: try keys.load(), filter: packetFilter)
                .filter { chosen.matches($0, endpoints: nil) }
        } catch let error as CustomStringConvertible {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        let edits = ReplayEdits(added: headers.compactMap(ReplayEdits.header), stripped: Set(strippedHeaders.map { $0.lowercased() }))
        let plans = captured.map { call in Result { () throws(ReplayRequest.Problem) in edits.apply(to: try ReplayRequest(call)) } }
        var (host, port) = CallCommand.split(target)!
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }  // [::1]:50051
        if dryRun {
            for (call, plan) in zip(captured, plans) { TextOutput.immediate(ReplayEdits.describe(call, plan, target: target)) }
            return
        }
        if let problem = Self.reachable(host: host, port: port) {
            TextOutput.error("cannot replay to \(target): \(problem)")
            throw ExitCode(2)
        }
        let recorder = save.map { _ in ReplayRecorder() }
        let useTLS = tls || cacert != nil || cert != nil
        let destination = ReplayTarget(host: host, port: port, tls: useTLS ? .init(caCertificate: cacert, certificate: cert, privateKey: key, serverName: servername) : nil,
                                       authority: authority)
        let outcomes: [ReplayOutcome?]
        do {
            let first = captured.map(\.start).min()
            let offsets = timing == .captured ? captured.map { $0.start.nanoseconds(since: first!) } : nil
            outcomes = try await ReplayRunner(concurrency: concurrency, rate: rate, startOffsets: offsets)
                .run(plans.map { try? $0.get() }, to: destination, recorder: recorder)
        } catch {
            TextOutput.error("cannot replay to \(target): \(error)")
            throw ExitCode(2)
        }
        if let save, let recorder {
            do { try Data(recorder.pcapng()).write(to: URL(fileURLWithPath: save)) } catch {
                TextOutput.error("cannot write '\(save)': \((error as NSError).localizedDescription)")
                throw ExitCode(2)
            }
        }
        if let failure = outcomes.compactMap({ $0?.failure }).first {
            TextOutput.error("cannot replay to \(target): \(failure)")
            throw ExitCode(2)
        }
        var pairs: [(a: GRPCCall, b: GRPCCall)] = []
        var notSent: [String] = []
        var notes: [String] = []
        for ((call, plan), outcome) in zip(zip(captured, plans), outcomes) {
            guard let outcome, case .success = plan else {
                if case let .failure(problem) = plan { notSent.append("\(call.path ?? "stream \(call.streamID)") (stream \(call.streamID)): \(problem)") }
                continue
            }
            if let note = outcome.note { notes.append("\(call.path ?? "stream \(call.streamID)") (stream \(call.streamID)): \(note)") }
            var status = outcome.status
            // An empty grpc-message is no message (the client library does not tell them apart).
            if let captured = call.status, captured.message == "", (status?.message ?? "").isEmpty { status?.message = "" }
            var replayed = GRPCCall.replayed(of: call, responseHeaders: outcome.responseHeaders, responses: outcome.responses, trailers: outcome.trailers,
                                             status: status, start: outcome.start, end: outcome.end)
            // A status the captured client derived (a deadline it reset, a cancel) has grpcdump's
            // words for a message and a cause the client library does not report: the code alone
            // is compared.
            if let captured = call.status, captured.source != .trailers, replayed.status?.code == captured.code { replayed.status = captured }
            pairs.append((call, replayed))
        }
        let diff = CaptureDiff.compare(pairs: pairs, options: options)
        var out = TextOutput()
        if json {
            out.line(DiffReport.json(diff, nameA: file, nameB: target))
        } else {
            for line in DiffReport.lines(diff, nameA: file, nameB: target, callsA: pairs.count, callsB: pairs.count) { out.line(line) }
            for line in notSent { out.line("not sent again: " + line) }
            for line in notes { out.line("note: " + line) }
            out.line("replayed \(pairs.count) of \(captured.count) calls to \(target): \(diff.pairs.filter(\.changes.isEmpty).count) answered as captured")
        }
        out.flush()
        if !diff.isSame || !notSent.isEmpty { throw ExitCode(1) }
    }

    /// Whether the target accepts a TCP connection (checked before anything is sent).
    static func reachable(host: String, port: Int) -> String? {
        var hints = addrinfo(ai_flags: 0, ai_family: AF_UNSPEC, ai_socktype: Int32(SOCK_STREAM.rawValue), ai_protocol: 0,
                             ai_addrlen: 0, ai_addr: nil, ai_canonname: nil, ai_next: nil)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else { return String(cString: gai_strerror(status)) }
        defer { freeaddrinfo(list) }
        var problem = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let socket = Glibc.socket(current.pointee.ai_family, current.pointee.ai_socktype, current.pointee.ai_protocol)
            if socket >= 0 {
                defer { close(socket) }
                if connect(socket, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return nil }
                problem = String(cString: strerror(errno))
            }
            entry = current.pointee.ai_next
        }
        return problem
    }

}

/// `--timing`.
enum ReplayTiming: String, ExpressibleByArgument, CaseIterable {
    case fast
    case captured
}
