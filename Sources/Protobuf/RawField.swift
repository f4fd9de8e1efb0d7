import WireCore

/// One field of a message decoded without a schema, with the byte ranges it came from (absolute,
/// relative to the base offset given to the decoder).
public struct RawField: Sendable {
    public var number: Int
    public var wireType: WireType
    /// The whole field: tag, length prefix and value.
    public var span: ByteSpan
    public var tagSpan: ByteSpan
    /// The length prefix of a LEN field.
    public var lengthSpan: ByteSpan?
    public var value: RawValue
}

public indirect enum RawValue: Sendable {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case lengthDelimited(LengthDelimited)
    /// A group (wire types 3 and 4, deprecated) and the fields between its start and end tags.
    case group([RawField])
}

/// A LEN field's bytes and how they were read. Without a schema, bytes may be a nested message,
/// text, packed scalars or just bytes: `interpretation` is the reading chosen (see
/// `LengthDelimitedHeuristics`), `alternatives` the other readings that also hold.
public struct LengthDelimited: Sendable {
    public enum Interpretation: Sendable {
        case message(RawMessage)
        case text(String)
        case packedVarints([UInt64])
        /// Little-endian 4-byte values back to back (packed fixed32, sfixed32, float).
        case packedFixed32([UInt32])
        /// Little-endian 8-byte values back to back (packed fixed64, sfixed64, double).
        case packedFixed64([UInt64])
        case bytes
    }

    public var span: ByteSpan
    public var bytes: ArraySlice<UInt8>
    public var interpretation: Interpretation
    /// Names of the other readings that are also valid: "message", "text", "packed varints",
    /// "packed fixed32", "packed fixed64".
    public var alternatives: [String]
    /// The field lies at the depth limit (`RawDecoder.Options.depthLimit`): its bytes were not
    /// tried as a message, whatever else they read as.
    public var atDepthLimit = false
}

/// A message decoded without a schema: its fields, the problems met, and the bytes that could not
/// be decoded (from the first problem that stopped decoding to the end).
public struct RawMessage: Sendable {
    public var fields: [RawField] = []
    public var problems: [Diagnostic] = []
    public var undecoded: ByteSpan?

    public init() {}

    /// Decoded to the end without a problem.
    public var isClean: Bool { problems.isEmpty && undecoded == nil }
}

extension UInt64 {
    /// protobuf.dev "Encoding": ZigZag decoding of sint32/sint64.
    public var zigZagDecoded: Int64 { Int64(bitPattern: (self >> 1) ^ (0 &- (self & 1))) }
}
