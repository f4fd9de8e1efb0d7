/// One labelled byte range of an annotated blob: what `grpcdump annotate` prints one line (or a
/// few wrapped lines) for, and what `--json` lists.
public struct AnnotatedRange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case grpcFlag = "grpc_flag", grpcLength = "grpc_length"
        case tag, length, varint, fixed32, fixed64, string, bytes
        /// Zero-length markers around a nested message, a group's fields and packed values.
        case messageStart = "message_start", messageEnd = "message_end"
        case packedStart = "packed_start", packedValue = "packed_value", packedEnd = "packed_end"
        case groupEnd = "group_end"
        /// Bytes that could not be decoded, from the faulty byte on.
        case error
        /// Any other HTTP/2 or HPACK structure (`annotate --http2`).
        case frameHeader = "frame_header", framePayload = "frame_payload", headerField = "header_field"
    }

    public var offset: Int
    public var length: Int
    /// Nesting: 0 for the top-level message's fields.
    public var depth: Int
    public var kind: Kind
    public var text: String
    /// The field this range belongs to, and its schema name when a schema names it.
    public var field: Int?
    public var name: String?

    public init(offset: Int, length: Int, depth: Int, kind: Kind, text: String, field: Int? = nil, name: String? = nil) {
        self.offset = offset
        self.length = length
        self.depth = depth
        self.kind = kind
        self.text = text
        self.field = field
        self.name = name
    }
}

/// What a schema says about one field, for annotation.
public struct AnnotatedFieldInfo: Sendable {
    public enum Kind: Sendable, Equatable {
        case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32, sfixed32, sfixed64, sint32, sint64
        case message(String)
        case group(String)
        case enumeration(String)
    }

    public var name: String
    public var kind: Kind
    public var repeated: Bool
    /// Enum value names by number, for enum fields.
    public var enumNames: [Int32: String]

    public init(name: String, kind: Kind, repeated: Bool, enumNames: [Int32: String] = [:]) {
        self.name = name
        self.kind = kind
        self.repeated = repeated
        self.enumNames = enumNames
    }
}

/// Field lookup in loaded schemas (implemented over the descriptor pool by the caller).
public protocol AnnotationSchema: Sendable {
    func field(_ number: Int, of messageType: String) -> AnnotatedFieldInfo?
}
