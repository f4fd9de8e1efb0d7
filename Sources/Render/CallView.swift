import Analysis
import ByteStream
import GRPC
import Packet
import Protobuf
import Schema
import WireCore

/// The call view (`grpcdump -r FILE`): one line per call as it completes, like tshark's summary;
/// `-v` adds headers, trailers, status and messages; `-x` a hex dump of every message; `--json`
/// one object per call (docs/grpc-calls.md).
public struct CallView {
    public var verbosity: Int
    public var hex: Bool
    public var json: Bool
    /// Include each message's bytes as base64 in JSON (`--json-raw`).
    public var jsonRaw = false
    /// ANSI colour for the status (terminals only, never with NO_COLOR).
    public var colour = false
    public var filter = CallFilter()
    /// Schemas for messages (`-v`, `--json`); nil decodes every message raw.
    public var types: MessageTypes?
    /// JSON field names as in the .proto files instead of lowerCamelCase (`--preserve-names`).
    public var preserveNames = false
    /// Show each message as it arrives (live capture with `-v`), not with its completed call.
    public var liveMessages = false
    /// The calls shown, counted; per method only when `countsPerMethod` (`--stats`).
    public private(set) var statistics = CallStatistics()
    /// Set before the first call: setting it starts the count afresh.
    public var countsPerMethod: Bool {
        get { statistics.perMethod }
        set { statistics = CallStatistics(perMethod: newValue) }
    }
    /// `--export grpcurl`: each call as the command that sends it again, instead of the call.
    public var export: GrpcurlExport?
    private var endpoints = ConnectionEndpoints()
    private var inferredMethods = MethodInferenceMemory()

    public init(verbosity: Int, hex: Bool, json: Bool) {
        self.verbosity = verbosity
        self.hex = hex
        self.json = json
    }

    public func endpoints(of connection: ConnectionID) -> (client: Endpoint, server: Endpoint)? { endpoints[connection] }

    /// Lines for standard output for one event.
    public mutating func render(_ event: AnalysisEvent) -> [String] {
        switch accept(event) {
        case nil:
            return []
        case let .message(arrived):
            guard liveMessages, !json, verbosity > 0 || hex, filter.mayMatch(path: arrived.path, endpoints: endpoints[arrived.connection]) else { return [] }
            let line = head(arrived.message.time, endpoints.cachedText(of: arrived.connection), arrived.path, arrived.streamID) + " (in progress)"
            let direction = arrived.direction == .clientToServer ? "request" : "response"
            return [line] + messageBlock(arrived.message, direction: direction, index: arrived.index,
                                         type: types?.typeName(path: arrived.path, isRequest: arrived.direction == .clientToServer))
        case let .call(call):
            if let export {
                return export.lines(call, summary: summary(call, ends: endpoints.cachedText(of: call.connection)),
                                    server: endpoints[call.connection]?.server, types: types)
            }
            guard json else { return text(call, ends: endpoints.cachedText(of: call.connection)) }
            return [CallJSON.text(call, endpoints: endpoints[call.connection], style: jsonStyle)]
        }
    }

    /// Whether `render` writes JSON lines only (`--json`, not an export): then
    /// `renderJSON(_:appendingTo:)` writes the same bytes.
    public var writesJSONLines: Bool { json && export == nil }

    /// `--json`: the line `render` gives for `event`, with its newline, appended as bytes: a
    /// call's JSON is not made into a String first (validated and copied: 3–4% of the samples
    /// of a `--json` run).
    public mutating func renderJSON(_ event: AnalysisEvent, appendingTo output: inout [UInt8]) {
        precondition(writesJSONLines, "renderJSON is for --json lines")
        guard case let .call(call) = accept(event) else { return }
        CallJSON.appendLine(call, endpoints: endpoints[call.connection], style: jsonStyle, to: &output)
    }

    /// What an event is to the view: a message or a call to show (its method inferred, past the
    /// filter and counted), or nothing; the connections' ends are followed on the way.
    private mutating func accept(_ event: AnalysisEvent) -> ShownEvent? {
        if case let .tcp(.closed(summary)) = event { inferredMethods.forget(summary.info.id) }
        if endpoints.follow(event) { return nil }
        switch event {
        case let .message(arrived):
            return .message(arrived)
        case var .call(call):
            if let types { inferredMethods.infer(&call, types: types) }
            guard filter.matches(call, endpoints: endpoints[call.connection]) else { return nil }
            statistics.add(call)
            return .call(call)
        default:
            return nil
        }
    }

    private enum ShownEvent {
        case message(ArrivedMessage)
        case call(GRPCCall)
    }

    private var jsonStyle: CallJSON.Style { CallJSON.Style(raw: jsonRaw, types: types, preserveNames: preserveNames) }

    /// The call's lines; `ends` is its connection's " client → server".
    func text(_ call: GRPCCall, ends: String) -> [String] {
        var lines = [summary(call, ends: ends)]
        guard verbosity > 0 || hex else { return lines }
        if verbosity > 0 {
            lines += section("request headers", call.requestHeaders)
            lines += section("response headers", call.trailersOnly ? [] : call.responseHeaders)
            lines += section(call.trailersOnly ? "trailers (trailers-only response)" : "trailers", call.trailers)
            if let reason = call.statusUnknownReason { lines.append("  status: unknown (\(reason))") }
            if let inference = call.methodInference { lines.append("  method inferred: \(inference)") }
            if let status = call.status {
                var text = "  status: \(status.code.rawValue) \(status.code)"
                if let message = status.message { text += " \"\(message)\"" }
                if status.source != .trailers { text += " (from \(status.source.rawValue))" }
                lines.append(text)
                if let details = status.details {
                    lines.append("  status details (google.rpc.Status, \(details.count) bytes):")
                    lines += ProtoValueText.lines(types?.statusDetails(details) ?? GoogleRPC.status(details), indent: "    ")
                }
            }
            var timing = "  timing: start \(call.start.rfc3339()) (packet \(call.firstPacket))"
            if let first = call.firstResponseTime { timing += ", first response +\(formatDuration(nanoseconds: first.nanoseconds(since: call.start)))" }
            timing += ", end +\(formatDuration(nanoseconds: call.latencyNanoseconds)) (packet \(call.lastPacket))"
            lines.append(timing)
            if let timeout = call.timeoutNanoseconds { lines.append("  timeout: \(formatDuration(nanoseconds: timeout))") }
            lines += call.warnings.map { ($0.severity == .note ? "  note: " : "  ! ") + $0.message }
        }
        if liveMessages {
            lines.append("  messages: \(call.requests.count)→\(call.responses.count), shown as they arrived")
            return lines
        }
        for (direction, messages) in [("request", call.requests), ("response", call.responses)] {
            let type = types?.typeName(path: call.path, isRequest: direction == "request")
            for (index, message) in messages.enumerated() {
                lines += messageBlock(message, direction: direction, index: index + 1, type: type)
            }
        }
        return lines
    }

    /// `  request #1: pkg.Type, 12 bytes (packet 5, stream offset 0)` and the message below it.
    func messageBlock(_ message: GRPCMessage, direction: String, index: Int, type: String?) -> [String] {
        var text = "  \(direction) #\(index): " + (type.map { $0 + ", " } ?? "") + "\(message.declaredLength) bytes"
        if message.compressed { text += " compressed" + (message.bytes.map { ", \($0.count) decompressed" } ?? "") }
        text += " (packet \(message.packet), stream offset \(message.streamOffset))"
        var lines = [text]
        if let problem = message.problem { lines.append("    ! " + problem) }
        if verbosity > 0, let bytes = message.bytes { lines += messageLines(bytes, type: type) }
        if hex { lines += HexDump.lines(message.bytes ?? message.wireBytes, indent: "    ") }
        return lines
    }

    /// A message against its schema type (unknown fields raw and marked), or its raw field tree.
    func messageLines(_ bytes: [UInt8], type: String?) -> [String] {
        guard let type, let decoded = types?.decoder.decode(bytes[...], as: type) else {
            var lines = RawTreeText.lines(RawDecoder.decode(bytes), indent: "    ")
            if let type { lines.insert("    ! type \(type) is not in the loaded schemas; raw fields:", at: 0) }
            return lines
        }
        var lines = ProtoValueText.lines(decoded.value, indent: "    ")
        if decoded.contradictions > 0 {
            lines.append("    ! \(decoded.contradictions) field\(decoded.contradictions == 1 ? "" : "s") contradict \(type): wrong schema?")
        }
        lines += decoded.problems.map { "    ! " + $0.message }
        return lines
    }

    /// `06:45:37.298406 127.0.0.1:40414 → 127.0.0.1:50051 /pkg.Service/Method OK 1.23ms 1→1`
    func summary(_ call: GRPCCall, ends: String) -> String {
        var line = head(call.start, ends, call.path, call.streamID)
        if call.methodInferred { line += " (inferred)" }
        if call.callProtocol != .grpc { line += " [\(call.callProtocol.rawValue)]" }
        if call.protocolInferred { line += " [gRPC inferred]" }
        if let status = call.status {
            line += " " + paint(status.code.description, status.code == .ok ? "32" : "31")
            if status.source != .trailers { line += "(\(status.source.rawValue))" }
        } else if call.statusUnknownReason != nil {
            line += " " + paint("STATUS?", "33")
        } else if call.incomplete {
            line += " " + paint("INCOMPLETE", "33")
        } else if let http = call.httpStatus {
            line += " HTTP \(http)"
        }
        line += " " + formatDuration(nanoseconds: call.latencyNanoseconds)
        if call.callProtocol == .http2 || call.callProtocol == .http1 {
            line += " \(call.bodyBytes[0])→\(call.bodyBytes[1]) bytes"
        } else {
            // Appended piece by piece to the line (which has room): an interpolated String would
            // be allocated first, for every call, and formatting an Int costs more than its digit.
            line += " "
            Self.appendCount(call.requests.count, to: &line)
            line += "→"
            Self.appendCount(call.responses.count, to: &line)
        }
        if !call.warnings.isEmpty {
            let notes = call.warnings.count { $0.severity == .note }, warnings = call.warnings.count - notes
            let counts = [(warnings, "warning"), (notes, "note")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
            line += " (" + counts.joined(separator: ", ") + ")"
        }
        if let security = call.security { line += " [\(security.protocolName)]" }
        return line
    }

    /// A count in decimal; the usual one digit without the general integer formatting.
    private static func appendCount(_ count: Int, to line: inout String) {
        if (0..<10).contains(count) {
            line.append(Character(Unicode.Scalar(UInt8(48 + count))))
        } else {
            line += String(count)
        }
    }

    /// `06:45:37.298406 127.0.0.1:40414 → 127.0.0.1:50051 /pkg.Service/Method`
    private func head(_ time: Timestamp, _ ends: String, _ path: String?, _ streamID: UInt32) -> String {
        // One string, with room for what the summary adds after the head (status, latency,
        // counts): joining the parts with `+` would allocate once for each.
        var line = time.timeOfDay()
        line.reserveCapacity(line.utf8.count + ends.utf8.count + (path?.utf8.count ?? 20) + 48)
        line += ends
        line += " "
        if let path { line += path } else { line += "stream \(streamID)" }
        return line
    }

    private func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }

    private func section(_ title: String, _ headers: [(name: String, value: String)]) -> [String] {
        guard !headers.isEmpty else { return [] }
        return ["  \(title):"] + headers.map { "    \($0.name): \($0.value)" + Self.binaryNote($0.name, $0.value) }
    }

    /// `-bin` metadata is base64 on the wire (gRPC doc "PROTOCOL-HTTP2.md"); shown decoded as hex.
    static func binaryNote(_ name: String, _ value: String) -> String {
        guard name.hasSuffix("-bin") else { return "" }
        switch Base64.decode(value) {
        case let .success(bytes) where bytes.isEmpty: return "  (0 bytes)"
        case let .success(bytes): return "  (\(bytes.count) bytes: \(Hex.string(bytes.prefix(32)))\(bytes.count > 32 ? "…" : ""))"
        case let .failure(error): return "  (! not valid base64 at character \(error.offset))"
        }
    }
}
