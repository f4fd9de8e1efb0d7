import HTTPExchange
import HPACK

extension FrameRecord {
    /// What this frame says about its stream's exchange, for the call layer: a HEADERS frame
    /// begins a header section (whose fields come with the frame that completes the block), DATA
    /// carries body bytes, RST_STREAM resets, any other frame on a stream only marks time.
    /// Connection-level frames (stream 0) and PUSH_PROMISE blocks say nothing about an exchange.
    public func exchangeEvents(into events: inout [ExchangeEvent]) {
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
        // Read in place through the buffer: mapping the array, or indexing it, copied each field
        // (its arrays retained and released).
        let lines = fields.withUnsafeBufferPointer { fields in
            fields.indices.map { HeaderLine(name: fields[$0].nameString, value: fields[$0].valueString, valueBytes: fields[$0].value, nameKnown: fields[$0].name != nil) }
        }
        events.append(ExchangeEvent(connection: connection, exchange: frame.streamID, direction: direction, packet: packet, time: time, kind: .head(lines)))
    }
}
