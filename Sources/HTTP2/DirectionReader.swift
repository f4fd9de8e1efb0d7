import ByteStream
import WireCore

/// What one direction of a connection is doing with its bytes: waiting to know the protocol,
/// reading the preface or an HTTP/1 upgrade head, decoding frames, or ignoring them.
enum DirectionReader: Sendable {
    /// Bytes buffered from the start of the stream until the protocol is known.
    case sniffing(buffer: [UInt8], start: Int64)
    /// Skip `count` bytes at `offset` (an HTTP/1 head and body, or the preface), then decode frames.
    case skipping(until: Int64, then: FrameDecoder)
    case frames(FrameDecoder)
    /// Not HTTP/2: bytes are dropped.
    case ignoring
}
