import WireCore

/// The vocabulary between connection layers: what a transport (TCP reassembly) or a layer that
/// re-emits a byte stream (TLS, with plaintext offsets) tells the layer above it. The layer above
/// (HTTP/2, HTTP/1.1) consumes these and never learns what fed it.
public enum ByteStreamEvent: Sendable {
    /// A connection appeared: its ends and how the client was told from the server.
    case opened(ConnectionInfo)
    /// The next in-order bytes of one direction.
    case data(StreamData)
    /// Bytes of one direction that will never be seen; the layer above must resynchronise.
    case gap(StreamGap)
    /// The connection ended (or the capture did).
    case closed(StreamEnd)
}

/// Where an event happened: the connection, the direction, and the packet that caused it.
public struct StreamPosition: Sendable, Hashable {
    public var connection: ConnectionID
    public var direction: Direction
    public var packet: Int
    public var time: Timestamp

    public init(connection: ConnectionID, direction: Direction, packet: Int, time: Timestamp) {
        self.connection = connection
        self.direction = direction
        self.packet = packet
        self.time = time
    }
}

public struct StreamData: Sendable {
    public var position: StreamPosition
    /// Offset of `bytes.first` in this direction's byte stream (0 = the stream's first byte, or
    /// the first byte captured when its start was not).
    public var offset: Int64
    public var bytes: ArraySlice<UInt8>

    public init(position: StreamPosition, offset: Int64, bytes: ArraySlice<UInt8>) {
        self.position = position
        self.offset = offset
        self.bytes = bytes
    }
}

public struct StreamGap: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// Segments lost from the capture and never retransmitted in it.
        case notCaptured = "not captured"
        /// The snapshot length cut the payload of captured packets.
        case snapLength = "cut by snapshot length"
        /// Out-of-order data exceeded the buffer limit before the hole was filled.
        case bufferLimit = "buffer limit"
        /// Protected records that could not be opened (a layer that decrypts), or plaintext
        /// before the first record it could open (a session joined mid-way).
        case notDecrypted = "not decrypted"
    }

    public var position: StreamPosition
    public var offset: Int64
    public var length: Int64
    /// The transport's own numbers for the missing bytes (TCP sequence numbers: first, and one
    /// past the last, modulo 2^32), when it numbers them.
    public var sequenceRange: (first: UInt32, end: UInt32)?
    public var reason: Reason

    public init(position: StreamPosition, offset: Int64, length: Int64, sequenceRange: (first: UInt32, end: UInt32)? = nil, reason: Reason) {
        self.position = position
        self.offset = offset
        self.length = length
        self.sequenceRange = sequenceRange
        self.reason = reason
    }

    public static func == (a: StreamGap, b: StreamGap) -> Bool {
        a.position == b.position && a.offset == b.offset && a.length == b.length && a.reason == b.reason
            && a.sequenceRange?.first == b.sequenceRange?.first && a.sequenceRange?.end == b.sequenceRange?.end
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
        hasher.combine(offset)
        hasher.combine(length)
    }
}

/// How a connection's byte streams ended.
public struct StreamEnd: Sendable, Hashable {
    public var info: ConnectionInfo
    /// The connection's last packet and its time.
    public var lastPacket: Int
    public var time: Timestamp
    /// Bytes delivered each way (`Direction.rawValue`).
    public var bytes: [Int64]

    /// No byte went either way.
    public var carriedNothing: Bool { bytes.allSatisfy { $0 == 0 } }

    public init(info: ConnectionInfo, lastPacket: Int, time: Timestamp, bytes: [Int64]) {
        self.info = info
        self.lastPacket = lastPacket
        self.time = time
        self.bytes = bytes
    }

    /// The position of the end, as seen from `direction`.
    public func position(_ direction: Direction) -> StreamPosition {
        StreamPosition(connection: info.id, direction: direction, packet: lastPacket, time: time)
    }
}

/// A layer that consumes one connection's byte streams (HTTP/2; later TLS and HTTP/1.1): fed in
/// capture order, it appends what it made of them to `output`.
public protocol ByteStreamConsumer {
    associatedtype Output
    mutating func receive(_ data: StreamData, into output: inout [Output])
    mutating func gap(_ gap: StreamGap, into output: inout [Output])
    /// The connection ended: whatever is left undecoded.
    mutating func finish(_ end: StreamEnd, into output: inout [Output])
}

extension ByteStreamConsumer {
    /// One event of the stream below, handed to `receive`, `gap` or `finish` (an opening carries
    /// no bytes: the consumer was made for it).
    @inlinable
    public mutating func consume(_ event: ByteStreamEvent, into output: inout [Output]) {
        switch event {
        case let .data(data): receive(data, into: &output)
        case let .gap(gap): self.gap(gap, into: &output)
        case let .closed(end): finish(end, into: &output)
        case .opened: break
        }
    }
}
