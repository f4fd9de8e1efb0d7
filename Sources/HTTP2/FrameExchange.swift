import HTTPExchange
import HPACK

extension FrameRecord {
    /// What this frame says about its stream's exchange, for the call layer: a HEADERS frame
    /// begins a header section (whose fields come with the frame that completes the block), DATA
    /// carries body bytes, RST_STREAM resets, any other frame on a stream only marks time.
    /// GOAWAY says which exchanges the sender processed; other connection-level frames (stream 0)
    /// and PUSH_PROMISE blocks say nothing about an exchange.
    public func exchangeEvents(into events: inout [ExchangeEvent]) {
        if case let .goaway(lastStream, code, debug) = frame.content {
            let reason = String(decoding: debug.prefix(100), as: UTF8.self)
            events.append(ExchangeEvent(connection: connection, exchange: 0, direction: direction, packet: packet, time: time,
                                        kind: .goingAway(lastProcessed: lastStream, code, reason: reason)))
            return
        }
        guard frame.streamID != 0 else { return }
        let kind: ExchangeEvent.Kind
        // RFC 9113 §6.1, §6.2: END_STREAM on DATA and HEADERS.
        let endStream = frame.header.flags.contains(.endStream) && (frame.type == .headers || frame.type == .data)
        switch frame.content {
        case let .data(_, data):
            let offset = frame.streamOffset + Int64(FrameHeader.size + (frame.header.flags.contains(.padded) ? 1 : 0))
            kind = .body(data, offset: offset, endsStream: endStream)
        case .headers:
            kind = .headBegins(endsStream: endStream)
        case let .rstStream(code):
            kind = .reset(code)
        default:
            kind = .activity
        }
        events.append(ExchangeEvent(connection: connection, exchange: frame.streamID, direction: direction, packet: packet, time: time, kind: kind))
        guard let block = headerBlock, block.startedBy == .headers, let fields = block.decoded?.fields else { return }
        // Each field borrowed in place: mapping the array, or indexing it, copied each field whole
        // (its arrays retained and released).
        func line(_ field: borrowing DecodedField) -> HeaderLine {
            HeaderLine(name: field.nameString, value: field.valueString, valueBytes: field.value, nameKnown: field.name != nil)
        }
        var lines: [HeaderLine] = []
        lines.reserveCapacity(fields.count)
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices { lines.append(line(fields[index])) }
        }
        events.append(ExchangeEvent(connection: connection, exchange: frame.streamID, direction: direction, packet: packet, time: time, kind: .head(lines)))
    }
}
