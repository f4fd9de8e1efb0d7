import Protobuf

/// Default values of scalar fields (protobuf.dev "Language Guide (proto 3)", Default Values),
/// and proto2 explicit defaults as descriptor.proto writes them in `default_value` text.
enum ScalarDefaults {
    static func value(_ type: FieldType, text: String?) -> ProtoValue {
        switch type {
        case .int32, .sint32, .sfixed32: return .int(text.flatMap { Int64($0) } ?? 0)
        case .uint32, .fixed32: return .uint(text.flatMap { UInt64($0) } ?? 0)
        case .int64, .sint64, .sfixed64: return .int64(text.flatMap { Int64($0) } ?? 0)
        case .uint64, .fixed64: return .uint64(text.flatMap { UInt64($0) } ?? 0)
        case .bool: return .bool(text == "true")
        case .float: return .float(text.flatMap(floating).map { Float($0) } ?? 0)
        case .double: return .double(text.flatMap(floating) ?? 0)
        case .string: return .string(text ?? "")
        // descriptor.proto: bytes defaults are C-escaped; kept as their UTF-8 when unescaping is not needed.
        case .bytes: return .bytes(Array((text ?? "").utf8))
        case .enum: return .enumValue(name: nil, number: 0)
        case .message, .group: return .object([])
        }
    }

    /// descriptor.proto spells infinities "inf" / "-inf" and NaN "nan".
    static func floating(_ text: String) -> Double? {
        switch text {
        case "inf": .infinity
        case "-inf": -.infinity
        case "nan": .nan
        default: Double(text)
        }
    }
}
