import HTTPExchange
import WireCore

extension Layer {
    public static let http2 = Layer(rawValue: "http2")
    public static let hpack = Layer(rawValue: "hpack")
}

/// The 9-byte frame header (RFC 9113 §4.1).
public struct FrameHeader: Sendable, Hashable {
    public var length: Int
    public var type: FrameType
    public var flags: FrameFlags
    public var streamID: UInt32
    /// The reserved bit before the stream identifier (RFC 9113 §4.1: must be ignored on receipt).
    public var reservedBit: Bool

    public static let size = 9

    /// Reads a header; `nil` when fewer than 9 bytes remain.
    static func read(_ reader: inout ByteReader) -> FrameHeader? {
        guard reader.remaining >= size else { return nil }
        let length = Int(reader.readUInt8()!) << 16 | Int(reader.readUInt16()!)
        let type = FrameType(rawValue: reader.readUInt8()!)
        let flags = FrameFlags(rawValue: reader.readUInt8()!)
        let stream = reader.readUInt32()!
        return FrameHeader(length: length, type: type, flags: flags, streamID: stream & 0x7FFF_FFFF, reservedBit: stream & 0x8000_0000 != 0)
    }
}

/// RFC 9113 §5.3.1 (deprecated priority scheme): dependency and weight of a stream.
public struct PriorityInfo: Sendable, Hashable {
    public var exclusive: Bool
    public var dependency: UInt32
    /// The weight as sent (0–255); the effective weight is one more.
    public var weight: UInt8
}

public struct Setting: Sendable, Hashable {
    public var parameter: SettingsParameter
    public var value: UInt32
}

/// A frame's payload, decoded according to its type. Header block fragments stay raw here; the
/// connection joins HEADERS and CONTINUATION and decodes them with HPACK.
public enum FrameContent: Sendable {
    case data(padLength: Int?, data: ArraySlice<UInt8>)
    case headers(padLength: Int?, priority: PriorityInfo?, fragment: ArraySlice<UInt8>)
    case priority(PriorityInfo)
    case rstStream(ErrorCode)
    case settings([Setting])
    case pushPromise(padLength: Int?, promisedStreamID: UInt32, fragment: ArraySlice<UInt8>)
    case ping(opaqueData: UInt64)
    case goaway(lastStreamID: UInt32, errorCode: ErrorCode, debugData: ArraySlice<UInt8>)
    case windowUpdate(increment: UInt32)
    case continuation(fragment: ArraySlice<UInt8>)
    case altsvc(origin: String, fieldValue: String)
    case origin([String])
    case priorityUpdate(prioritizedStreamID: UInt32, fieldValue: String)
    /// A frame type this decoder does not know; the payload is shown raw.
    case unknown
    /// The payload breaks its type's rules too badly to decode (the frame's problems say how).
    case malformed
}

/// One HTTP/2 frame as it appeared on the wire.
public struct Frame: Sendable {
    public var header: FrameHeader
    /// The raw payload.
    public var payload: ArraySlice<UInt8>
    /// Offset of the frame's first header byte in its direction's TCP stream.
    public var streamOffset: Int64
    public var content: FrameContent
    /// Problems in the frame itself (lengths, padding, stream identifier rules).
    public var problems: [Diagnostic]

    public var type: FrameType { header.type }
    public var streamID: UInt32 { header.streamID }
    /// Bytes on the wire: header and payload.
    public var wireLength: Int { FrameHeader.size + header.length }
}
