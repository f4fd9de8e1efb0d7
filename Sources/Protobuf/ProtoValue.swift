/// A message decoded against a schema, in the shape of the proto3 JSON mapping
/// (protobuf.dev "ProtoJSON Format"): objects keyed by field name, lists for repeated fields.
/// Fields the schema does not know stay raw and marked, never dropped.
public indirect enum ProtoValue: Sendable {
    case string(String)
    /// Signed integers (int32, int64, sint*, sfixed*, enums without names).
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case double(Double)
    case bytes([UInt8])
    /// An enum value with its name, when the schema knows it.
    case enumValue(name: String?, number: Int32)
    /// A well-known type shown in its JSON form (Duration "1.5s", Timestamp RFC 3339).
    case wellKnown(String)
    case object([ProtoMember])
    case list([ProtoValue])
    /// A field the schema does not know, or whose wire type contradicts the schema.
    case unknown(RawField, note: String?)
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
