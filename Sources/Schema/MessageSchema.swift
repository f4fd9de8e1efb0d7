import Protobuf
import SwiftProtobuf

/// A message type as the decoder needs it, built once from a `DescriptorProto`: fields by number,
/// JSON names, and whether a field is a map (protobuf.dev "Language Guide (proto 3)", Maps:
/// a map is a repeated field of a nested `*Entry` message with `map_entry` set).
public struct MessageSchema: Sendable {
    /// Full name without a leading dot, e.g. `google.protobuf.Timestamp`.
    public var fullName: String { didSet { isWellKnown = WellKnownTypes.names.contains(fullName) } }
    /// Fields in declaration order.
    public var fields: [FieldSchema] { didSet { indexByNumber = Self.index(fields) } }
    /// `options.map_entry`: a synthesized `KeyEntry { key = 1; value = 2; }` message.
    public var isMapEntry: Bool
    /// The file's syntax: "proto2", "proto3" or "editions".
    public var syntax: String
    /// Names of the oneofs, by `oneof_index`.
    public var oneofNames: [String]
    /// A well-known type (google.protobuf.Timestamp, Any, the wrappers…), which has a JSON form
    /// of its own.
    private(set) var isWellKnown: Bool
    /// Positions in `fields` by number (the first field wins for a repeated number); empty when
    /// there are few fields, which are then scanned.
    private var indexByNumber: [Int: Int]

    public init(fullName: String, fields: [FieldSchema], isMapEntry: Bool = false, syntax: String = "proto3", oneofNames: [String] = []) {
        self.fullName = fullName
        self.fields = fields
        self.isMapEntry = isMapEntry
        self.syntax = syntax
        self.oneofNames = oneofNames
        isWellKnown = WellKnownTypes.names.contains(fullName)
        indexByNumber = Self.index(fields)
    }

    /// Past this many fields, a field is found by hashing its number rather than by a scan.
    private static let scannedFields = 16

    private static func index(_ fields: [FieldSchema]) -> [Int: Int] {
        guard fields.count > scannedFields else { return [:] }
        var index: [Int: Int] = [:]
        for (position, field) in fields.enumerated() where index[field.number] == nil {
            index[field.number] = position
        }
        return index
    }

    public func field(number: Int) -> FieldSchema? {
        if fields.count <= Self.scannedFields { return fields.first { $0.number == number } }
        return indexByNumber[number].map { fields[$0] }
    }

    /// A field by its proto name or its JSON name.
    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name } ?? fields.first { $0.jsonName == name }
    }
}

/// One field of a `MessageSchema`.
public struct FieldSchema: Sendable {
    public var name: String
    /// `json_name` from the descriptor, else the lowerCamelCase of `name` (protobuf.dev "ProtoJSON Format").
    public var jsonName: String
    public var number: Int
    public var type: FieldType
    public var isRepeated: Bool
    /// Declared packed: `[packed = true]`, or proto3/editions repeated scalars without `[packed = false]`.
    /// The decoder accepts both encodings whatever this says (protobuf.dev "Encoding", Packed Repeated Fields).
    public var isPacked: Bool
    /// Message or enum type, full name without a leading dot (nil for scalars).
    public var typeName: String?
    /// A map field: repeated, of a message type with `map_entry` set.
    public var isMap: Bool
    public var oneofName: String?
    /// proto2 `[default = …]`, as text in the descriptor.
    public var defaultValue: String?

    public init(name: String, jsonName: String? = nil, number: Int, type: FieldType, isRepeated: Bool = false,
                isPacked: Bool = false, typeName: String? = nil, isMap: Bool = false, oneofName: String? = nil,
                defaultValue: String? = nil) {
        self.name = name
        self.jsonName = jsonName ?? ProtoMember.lowerCamelCase(name)
        self.number = number
        self.type = type
        self.isRepeated = isRepeated
        self.isPacked = isPacked
        self.typeName = typeName
        self.isMap = isMap
        self.oneofName = oneofName
        self.defaultValue = defaultValue
    }
}

/// Field types (descriptor.proto `FieldDescriptorProto.Type`).
public enum FieldType: String, Sendable, Hashable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes
    case uint32, `enum`, sfixed32, sfixed64, sint32, sint64

    /// The wire type of one value (protobuf.dev "Encoding", Message Structure).
    var wireType: UInt8 {
        switch self {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool, .enum: 0
        case .fixed64, .sfixed64, .double: 1
        case .string, .bytes, .message: 2
        case .group: 3
        case .fixed32, .sfixed32, .float: 5
        }
    }

    /// Numeric types, which may be packed.
    var isPackable: Bool { wireType == 0 || wireType == 1 || wireType == 5 }

    init?(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch type {
        case .double: self = .double
        case .float: self = .float
        case .int64: self = .int64
        case .uint64: self = .uint64
        case .int32: self = .int32
        case .fixed64: self = .fixed64
        case .fixed32: self = .fixed32
        case .bool: self = .bool
        case .string: self = .string
        case .group: self = .group
        case .message: self = .message
        case .bytes: self = .bytes
        case .uint32: self = .uint32
        case .enum: self = .enum
        case .sfixed32: self = .sfixed32
        case .sfixed64: self = .sfixed64
        case .sint32: self = .sint32
        case .sint64: self = .sint64
        }
    }
}

/// An enum type: value names by number (the first name wins for aliases). Enums are open in
/// proto3, and decoded that way everywhere here: an unknown number stays a number.
public struct EnumSchema: Sendable {
    public var fullName: String
    /// Values in declaration order.
    public var values: [(name: String, number: Int32)]
    var nameByNumber: [Int32: String]

    public init(fullName: String, values: [(name: String, number: Int32)]) {
        self.fullName = fullName
        self.values = values
        var names: [Int32: String] = [:]
        for value in values where names[value.number] == nil { names[value.number] = value.name }
        self.nameByNumber = names
    }

    public func name(of number: Int32) -> String? { nameByNumber[number] }

    /// The default: the first value declared (protobuf.dev "Language Guide", Enumerations).
    public var defaultNumber: Int32 { values.first?.number ?? 0 }
}

/// A gRPC method: `/package.Service/Method` and its message types.
public struct MethodSchema: Sendable, Hashable {
    /// `/package.Service/Method`, as in the `:path` header.
    public var path: String
    public var serviceName: String
    public var name: String
    public var inputType: String
    public var outputType: String
    public var clientStreaming: Bool
    public var serverStreaming: Bool
}
