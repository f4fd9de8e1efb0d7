import Analysis
import ByteStream
import HPACK
import HTTP2
import TLS
import Packet
import Protobuf
import WireCore

/// The `--layer http2` view: every frame with packet number, time, connection, direction,
/// stream, type, flags and length, then its annotations, violations and decoded headers; or one
/// JSON object per frame (docs/http2-layer.md).
public struct HTTP2FrameView {
    public var json: Bool
    private var endpoints = ConnectionEndpoints()

    public init(json: Bool) {
        self.json = json
    }

    /// Lines for standard output.
    public mutating func render(_ event: AnalysisEvent) -> [String] {
        if endpoints.follow(event) { return [] }
        switch event {
        case let .tlsSession(session) where session.notDecryptedReason != nil && !json:
            // The frames of a decrypted connection say enough; one that was not says why.
            let ends = endpoints.text(of: session.connection)
            return ["\(session.connection)\(ends): \(session.version?.description ?? "TLS"), not decrypted: \(session.notDecryptedReason!)"]
        case .tcp, .diagnostic, .call, .message, .tlsMessage, .tlsSession:
            return []
        case let .undecoded(connection, kind, _):
            guard !json else { return [] }
            let ends = endpoints.text(of: connection)
            return ["\(connection)\(ends): \(kind.rawValue), not decoded"]
        case let .http2(event):
            return json ? jsonLines(event) : textLines(event)
        }
    }

    private func textLines(_ event: HTTP2Event) -> [String] {
        switch event {
        case let .detected(connection, how, packet):
            let ends = endpoints.text(of: connection)
            return ["\(connection)\(ends): HTTP/2 (\(how.rawValue)) from packet \(packet)"]
        case let .preface(connection, _, packet, time):
            return ["\(pad(packet)) \(time.timeOfDay()) \(connection) c→s  client connection preface"]
        case let .skipped(connection, direction, skip):
            let span = skip.span ?? ByteSpan(start: 0, count: 0)
            return ["\(pad(skip.packet ?? 0)) \(connection) \(arrow(direction))  skipped \(span.count) bytes at stream offset \(span.start): \(skip.message)"]
        case .closed, .other:
            return []  // the pipeline reports a connection that is not HTTP/2 as `undecoded`
        case let .frame(record):
            let frame = record.frame
            let flags = frame.header.flags.names(for: frame.type)
            var lines = ["\(pad(record.packet)) \(record.time.timeOfDay()) \(record.connection) \(arrow(record.direction))  stream \(frame.streamID) \(frame.type)"
                + (flags.isEmpty ? "" : " [" + flags.joined(separator: ", ") + "]") + " len \(frame.header.length)"]
            lines += record.annotations.map { "        " + $0 }
            lines += record.violations.map { "        ! " + $0.message }
            if let block = record.headerBlock {
                var summary = "        header block: \(block.bytes.count) bytes in \(block.frames) frame\(block.frames == 1 ? "" : "s")"
                if block.tablePartlyKnown { summary += " (dynamic table only partly known: the capture began mid-connection)" }
                lines.append(summary)
                for update in block.decoded?.sizeUpdates ?? [] {
                    lines.append("          dynamic table size update to \(update.maxSize)" + (update.evicted.isEmpty ? "" : ", evicted \(update.evicted.count)"))
                }
                for field in block.decoded?.fields ?? [] {
                    lines.append("          \(field.nameString): \(field.valueString)   [\(HeaderFieldText.text(field))]")
                }
                if let undecoded = block.decoded?.undecoded {
                    lines.append("          \(undecoded.span.count) bytes not decoded: \(undecoded.reason.rawValue)")
                }
            }
            return lines
        }
    }

    private func jsonLines(_ event: HTTP2Event) -> [String] {
        guard case let .frame(record) = event else { return [] }
        let frame = record.frame
        var object = JSONObject()
        object.add("packet", record.packet)
        object.add("time", record.time.rfc3339(fractionDigits: 9))
        object.add("connection", record.connection.rawValue)
        if let ends = endpoints[record.connection] {
            object.add("client", ends.client.description)
            object.add("server", ends.server.description)
        }
        object.add("direction", record.direction.sender)
        object.add("stream_id", Int(frame.streamID))
        object.add("type", frame.type.description)
        object.add("flags", frame.header.flags.names(for: frame.type))
        object.add("length", frame.header.length)
        object.add("offset", frame.streamOffset)
        object.add("annotations", record.annotations)
        if let block = record.headerBlock, let decoded = block.decoded {
            object.add("headers", raw: decoded.fields.map { JSONObject.array([JSONObject.quote($0.nameString), JSONObject.quote($0.valueString)]) })
            object.add("representations", raw: decoded.fields.map { HeaderFieldDescription.json($0).text })
            if !decoded.sizeUpdates.isEmpty { object.add("table_size_updates", raw: decoded.sizeUpdates.map { String($0.maxSize) }) }
            object.add("table_partly_known", block.tablePartlyKnown)
        }
        object.add("violations", raw: record.violations.map { violation in
            var item = JSONObject()
            item.add("code", violation.code)
            item.add("message", violation.message)
            return item.text
        })
        return [object.text]
    }

    private func arrow(_ direction: Direction) -> String { direction == .clientToServer ? "c→s" : "s→c" }

    private func pad(_ packet: Int) -> String {
        let text = String(packet)
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}
