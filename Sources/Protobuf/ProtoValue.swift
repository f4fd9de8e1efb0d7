/// A message decoded against a schema, in the shape of the proto3 JSON mapping
/// (protobuf.dev "ProtoJSON Format"): objects keyed by field name, lists for repeated fields.
/// Fields the schema does not know stay raw and marked, never dropped.
public indirect enum ProtoValue: Sendable {
    case string(String)
    /// 32-bit signed integers (int32, sint32, sfixed32): JSON numbers.
    case int(Int64)
    /// 32-bit unsigned integers (uint32, fixed32): JSON numbers.
    case uint(UInt64)
    /// 64-bit signed integers (int64, sint64, sfixed64): JSON strings.
    case int64(Int64)
    /// 64-bit unsigned integers (uint64, fixed64): JSON strings.
    case uint64(UInt64)
    case bool(Bool)
    /// `float` fields keep single precision, so that 0.1 prints as 0.1.
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    /// An enum value with its name, when the schema knows it.
    case enumValue(name: String?, number: Int32)
    /// JSON null: google.protobuf.NullValue, and a Value holding it.
    case null
    /// A well-known type shown in its JSON string form (Duration "1.5s", Timestamp RFC 3339,
    /// FieldMask "a.b,c").
    case wellKnown(String)
    case object([ProtoMember])
    /// A map field (or google.protobuf.Struct): keys already in their JSON text form
    /// (strings as they are, integers in decimal, booleans as true/false), in wire order.
    case map([ProtoMapEntry])
    case list([ProtoValue])
    /// A field the schema does not know, or whose wire type contradicts the schema.
    case unknown(RawField, note: String?)
}

public struct ProtoMapEntry: Sendable {
    public var key: String
    public var value: ProtoValue

    public init(key: String, value: ProtoValue) {
        self.key = key
        self.value = value
    }
}

public struct ProtoMember: Sendable {
    /// The field name as in the .proto file (snake_case); JSON uses `jsonName`.
    public var name: String
    public var jsonName: String
    public var value: ProtoValue

    public init(name: String, jsonName: String? = nil, value: ProtoValue) {
        self.name = name
        self.jsonName = jsonName ?? ProtoMember.lowerCamelCase(name)
        self.value = value
    }

    /// protobuf.dev "ProtoJSON Format": field names become lowerCamelCase.
    public static func lowerCamelCase(_ name: String) -> String {
        var out = ""
        var upper = false
        for character in name {
            if character == "_" {
                upper = true
            } else {
                out += upper ? character.uppercased() : String(character)
                upper = false
            }
        }
        return out
    }
}
