import ByteStream
import WireCore

/// One step of an HTTP request/response exchange, whichever HTTP version carried it: the call
/// layer consumes these and does not know whether an HTTP/2 stream or an HTTP/1.1
/// request/response pair produced them. Each keeps where it came from (connection, exchange,
/// direction, packet, time; a body's stream offset).
public struct ExchangeEvent: Sendable {
    public enum Kind: Sendable {
        /// A header section begins (its fields may follow in a later event, as an HTTP/2 HEADERS
        /// frame's block may continue in CONTINUATION frames); `endsStream`: the sender sends
        /// nothing after this section.
        case headBegins(endsStream: Bool)
        /// A complete header section: a request or response head, or trailers.
        case head([HeaderLine])
        /// Body bytes; `offset` is the stream offset of their first byte (in the connection's
        /// byte stream), `endsStream` that the sender sends nothing after them.
        case body(ArraySlice<UInt8>, offset: Int64, endsStream: Bool)
        /// The exchange was reset (HTTP/2 RST_STREAM).
        case reset(ErrorCode)
        /// The sender goes away (HTTP/2 GOAWAY, RFC 9113 §6.8): it processes no exchange its peer
        /// opened above `lastProcessed`; `reason` is its debug data as text. Said of the
        /// connection: `exchange` is 0.
        case goingAway(lastProcessed: UInt32, ErrorCode, reason: String)
        /// Anything else seen on the exchange (flow control, priority): it only marks time.
        case activity
    }

    public var connection: ConnectionID
    /// The exchange within its connection: the HTTP/2 stream identifier, or the HTTP/1.1
    /// exchange's number on its connection.
    public var exchange: UInt32
    public var direction: Direction
    /// The packet that completed what this event reports, and its time.
    public var packet: Int
    public var time: Timestamp
    public var kind: Kind

    public init(connection: ConnectionID, exchange: UInt32, direction: Direction, packet: Int, time: Timestamp, kind: Kind) {
        self.connection = connection
        self.exchange = exchange
        self.direction = direction
        self.packet = packet
        self.time = time
        self.kind = kind
    }
}

/// A header field as text, with the raw bytes of its value when they were known (a binary value
/// may need them).
public struct HeaderLine: Sendable {
    public var name: String
    public var value: String
    public var valueBytes: [UInt8]?
    /// Whether the name is known (HPACK: not an entry from before the capture began); `name` is
    /// then a placeholder that names the unknown entry.
    public var nameKnown: Bool

    public init(name: String, value: String, valueBytes: [UInt8]? = nil, nameKnown: Bool = true) {
        self.name = name
        self.value = value
        self.valueBytes = valueBytes
        self.nameKnown = nameKnown
    }
}
