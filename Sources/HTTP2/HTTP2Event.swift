import HPACK
import ByteStream
import HTTPExchange
import WireCore

/// How an HTTP/2 connection was recognised.
public enum HTTP2Detection: String, Sendable, Hashable {
    /// The client connection preface at the start of the stream (RFC 9113 §3.4).
    case priorKnowledge = "prior knowledge"
    /// An HTTP/1.1 request with `Upgrade: h2c` answered by `101 Switching Protocols` (RFC 7540 §3.2).
    case h2cUpgrade = "h2c upgrade"
    /// A run of valid frame headers in a connection whose start was not captured.
    case midStream = "mid-stream"
}

/// A frame with where it was seen and what the connection's state says about it.
public struct FrameRecord: Sendable {
    public var connection: ConnectionID
    public var direction: Direction
    /// The packet that completed the frame, and its time.
    public var packet: Int
    public var time: Timestamp
    public var frame: Frame
    /// Notes from the connection state: flow-control windows, SETTINGS/PING matching, state changes.
    public var annotations: [String]
    /// Rules the frame breaks: its own (lengths, padding) and the connection's (stream states,
    /// frame size, CONTINUATION order, flow control).
    public var violations: [Diagnostic]
    /// Set on the frame that ends a header block (HEADERS, PUSH_PROMISE or their last CONTINUATION).
    public var headerBlock: HeaderBlockRecord?
    /// The flow-control windows a DATA or WINDOW_UPDATE frame left (for charts of the windows over time).
    public var flow: FlowReading?
}

/// A sender's windows after a DATA frame it sent or a WINDOW_UPDATE it received (RFC 9113 §6.9).
public struct FlowReading: Sendable, Hashable {
    /// The side whose sending the windows limit.
    public var sender: Direction
    public var connectionWindow: Int64
    /// The stream's window; `nil` for a WINDOW_UPDATE of the connection window.
    public var streamWindow: Int64?
    /// False when the connection was joined mid-way: the windows are then relative (counted from
    /// RFC 9113 §6.9.2's initial 65,535), not known.
    public var known: Bool

    public init(sender: Direction, connectionWindow: Int64, streamWindow: Int64?, known: Bool) {
        self.sender = sender
        self.connectionWindow = connectionWindow
        self.streamWindow = streamWindow
        self.known = known
    }
}

/// A complete header block: HEADERS or PUSH_PROMISE joined with its CONTINUATION frames.
public struct HeaderBlockRecord: Sendable {
    public var stream: UInt32
    /// The frame type that began the block.
    public var startedBy: FrameType
    /// The joined fragments.
    public var bytes: [UInt8]
    /// Number of frames the block spanned.
    public var frames: Int
    /// The HPACK decoding of the block (RFC 7541), with each field's representation.
    public var decoded: HeaderBlock?
    /// Whether the direction's dynamic table is only partly known (the capture began mid-connection).
    public var tablePartlyKnown = false
}

public enum HTTP2Event: Sendable {
    case detected(ConnectionID, HTTP2Detection, packet: Int)
    /// The 24-byte client connection preface.
    case preface(ConnectionID, offset: Int64, packet: Int, time: Timestamp)
    case frame(FrameRecord)
    /// Bytes of an HTTP/2 direction that could not be decoded as frames, and why.
    /// The diagnostic (`http2.skip.…`) has the stream span, the reason and the packet.
    case skipped(ConnectionID, Direction, Diagnostic)
    /// A connection that is not (or not visibly) HTTP/2; reported once.
    case other(ConnectionID, OtherProtocol, packet: Int)
    /// The TCP connection under an HTTP/2 connection ended (or the capture did).
    case closed(ConnectionID, packet: Int, time: Timestamp)
}
