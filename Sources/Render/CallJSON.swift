import GRPC
import Packet
import Protobuf
import Schema

/// One JSON object per call (docs/grpc-calls.md).
public enum CallJSON {
    public struct Style {
        /// Each message's bytes as base64 (`--json-raw`).
        var raw: Bool
        var types: MessageTypes?
        var preserveNames: Bool
        /// Messages longer than this are listed without their content (`omitted`), for pages that
        /// show many calls at once (the HTML report); `nil`: every message in full.
        var maxMessageBytes: Int?

        public init(raw: Bool = false, types: MessageTypes?, preserveNames: Bool, maxMessageBytes: Int? = nil) {
            self.raw = raw
            self.types = types
            self.preserveNames = preserveNames
            self.maxMessageBytes = maxMessageBytes
        }
    }

    /// The call's JSON text, written once into a buffer sized for its messages.
    static func text(_ call: GRPCCall, endpoints: (client: Endpoint, server: Endpoint)?, style: Style) -> String {
        var json = JSONBuffer()
        writeObject(call, endpoints: endpoints, style: style, into: &json)
        return json.text
    }

    /// The call's object and a newline appended to `output` (JSON text is UTF-8 by construction).
    static func appendLine(_ call: GRPCCall, endpoints: (client: Endpoint, server: Endpoint)?, style: Style, to output: inout [UInt8]) {
        var json = JSONBuffer()
        swap(&json.bytes, &output)
        writeObject(call, endpoints: endpoints, style: style, into: &json)
        json.raw(0x0A)
        swap(&json.bytes, &output)
    }

    private static func writeObject(_ call: GRPCCall, endpoints: (client: Endpoint, server: Endpoint)?, style: Style, into json: inout JSONBuffer) {
        // Messages dominate the size: bytes fields grow by a third in base64, the rest is smaller.
        let messageBytes = [call.requests, call.responses].joined().reduce(0) { $0 + ($1.bytes?.count ?? 0) }
        json.reserve(2048 + messageBytes * 3 / 2)
        JSONObject.write(into: &json) { write(call, endpoints: endpoints, style: style, into: &$0) }
    }

    public static func write(_ call: GRPCCall, endpoints: (client: Endpoint, server: Endpoint)?, style: Style, into object: inout JSONObject) {
        if let endpoints {
            object.add("client", endpoints.client.description)
            object.add("server", endpoints.server.description)
        }
        object.add("connection", call.connection.rawValue)
        object.add("stream_id", Int(call.streamID))
        object.add("protocol", call.callProtocol.rawValue)
        if let security = call.security {
            // Absent on plaintext calls.
            var tls = JSONObject()
            tls.add("version", security.protocolName)
            if let cipher = security.cipher { tls.add("cipher", cipher) }
            if let sni = security.serverName { tls.add("sni", sni) }
            if let alpn = security.alpn { tls.add("alpn", alpn) }
            tls.add("resumed", security.resumed)
            object.add("tls", tls)
        }
        if let path = call.path { object.add("method", path) }
        if call.methodInferred {
            object.add("method_inferred", true)
            if let inference = call.methodInference { object.add("method_inference", inference) }
        }
        if call.protocolInferred { object.add("protocol_inferred", true) }
        if let authority = call.authority { object.add("authority", authority) }
        object.add("start") { $0.time(call.start) }
        object.add("end") { $0.time(call.end) }
        if let first = call.firstResponseTime { object.add("first_response") { $0.time(first) } }
        object.add("latency_ns", call.latencyNanoseconds)
        if let timeout = call.timeoutNanoseconds { object.add("timeout_ns", timeout) }
        object.add("request_headers", headers(call.requestHeaders))
        object.add("response_headers", headers(call.trailersOnly ? [] : call.responseHeaders))
        object.add("trailers", headers(call.trailers))
        object.add("trailers_only", call.trailersOnly)
        for (key, messages) in [("requests", call.requests), ("responses", call.responses)] {
            let type = style.types?.typeName(path: call.path, isRequest: key == "requests")
            object.add(key) { json in
                json.array(messages) { json, message in JSONObject.write(into: &json) { write(message, type: type, style: style, into: &$0) } }
            }
        }
        if let status = call.status {
            var item = JSONObject()
            item.add("code", status.code.rawValue)
            item.add("name", status.code.description)
            if let text = status.message { item.add("message", text) }
            if let details = status.details, case let .object(members) = style.types?.statusDetails(details) ?? GoogleRPC.status(details) {
                // grpc-status-details-bin's google.rpc.Status: its `details` list (Any objects), and
                // anything else it held that was not its code and message (unknown fields, errors).
                item.add("details", json: members.first { $0.name == "details" }.map { ProtoJSON.encode($0.value, preserveNames: style.preserveNames) } ?? "[]")
                let rest = members.filter { !["code", "message", "details"].contains($0.name) }
                if !rest.isEmpty { item.add("details_other", json: ProtoJSON.encode(.object(rest), preserveNames: style.preserveNames)) }
            }
            item.add("source", status.source.rawValue)
            object.add("status", item)
        } else if let reason = call.statusUnknownReason {
            var item = JSONObject()
            item.add("code", json: "null")
            item.add("reason", reason)
            object.add("status", item)
        }
        object.add("incomplete", call.incomplete)
        object.add("warnings", call.warnings.filter { $0.severity != .note }.map(\.message))
        let notes = call.warnings.filter { $0.severity == .note }
        if !notes.isEmpty { object.add("notes", notes.map(\.message)) }
    }

    /// Header lists as objects of string arrays, names in first-seen order.
    static func headers(_ list: [(name: String, value: String)]) -> JSONObject {
        var object = JSONObject()
        for (index, (name, _)) in list.enumerated() where !list[..<index].contains(where: { $0.name == name }) {
            object.add(name) { json in
                json.raw(UInt8(ascii: "["))
                var first = true
                for (other, value) in list[index...] where other == name {
                    if !first { json.raw(UInt8(ascii: ",")) }
                    first = false
                    json.string(value)
                }
                json.raw(UInt8(ascii: "]"))
            }
        }
        return object
    }

    /// A message: its schema type and proto3 JSON (`type`, `json`) when a schema names it, its raw
    /// field tree (`raw_tree`) otherwise.
    static func write(_ message: GRPCMessage, type: String?, style: Style, into object: inout JSONObject) {
        object.add("length", message.declaredLength)
        object.add("compressed", message.compressed)
        if message.compressed, let bytes = message.bytes { object.add("decompressed_length", bytes.count) }
        object.add("packet", message.packet)
        object.add("offset", message.streamOffset)
        if let bytes = message.bytes, let limit = style.maxMessageBytes, bytes.count > limit {
            object.add("omitted", "\(bytes.count) bytes, over the \(limit) shown inline")
        } else if let bytes = message.bytes {
            if let type, let decoder = style.types?.decoder, let schema = decoder.pool.message(named: type) {
                object.add("type", type)
                var report: SchemaDecodeReport?
                object.add("json") { report = decoder.writeJSON(bytes[...], as: schema, preserveNames: style.preserveNames, into: &$0) }
                if let report, report.contradictions > 0 { object.add("contradictions", report.contradictions) }
                if let report, !report.problems.isEmpty { object.add("schema_problems", report.problems.map(\.message)) }
            } else {
                if let type { object.add("type_not_loaded", type) }
                object.add("raw_tree", json: ProtoJSON.rawTree(RawDecoder.decode(bytes)))
            }
        }
        if style.raw, let bytes = message.bytes { object.add("raw_base64") { $0.base64(bytes) } }
        if let problem = message.problem { object.add("problem", problem) }
    }
}
