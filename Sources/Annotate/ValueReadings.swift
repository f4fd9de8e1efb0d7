import Protobuf

/// The texts of scalar values: as their schema type, or every plausible reading without one
/// (protobuf.dev "Encoding": varints are int32/int64/uint/bool/enum or zigzag sint; I32 is
/// fixed32/sfixed32/float; I64 is fixed64/sfixed64/double).
enum ValueReadings {
    static func varint(_ value: UInt64, _ info: AnnotatedFieldInfo?) -> String {
        switch info?.kind {
        case .int32?: return "int32 \(Int32(truncatingIfNeeded: value))"
        case .int64?: return "int64 \(Int64(bitPattern: value))"
        case .uint32?: return "uint32 \(UInt32(truncatingIfNeeded: value))"
        case .uint64?: return "uint64 \(value)"
        case .sint32?, .sint64?: return "sint \(value.zigZagDecoded)"
        case .bool?: return "bool \(value != 0)"
        case let .enumeration(type)?:
            let number = Int32(truncatingIfNeeded: value)
            return info?.enumNames[number].map { "enum \($0) (\(number))" } ?? "enum \(number) (not a value of \(type))"
        default:
            var readings: [String] = []
            if value > UInt64(Int64.max) { readings.append("int64 \(Int64(bitPattern: value))") }
            if value > 1 { readings.append("sint \(value.zigZagDecoded)") }
            return "varint \(value)" + (readings.isEmpty ? "" : " (" + readings.joined(separator: ", ") + ")")
        }
    }

    static func fixed32(_ value: UInt32, _ kind: AnnotatedFieldInfo.Kind?) -> String {
        switch kind {
        case .float?: return "float \(Float(bitPattern: value))"
        case .fixed32?: return "fixed32 \(value)"
        case .sfixed32?: return "sfixed32 \(Int32(bitPattern: value))"
        default:
            let signed = Int32(bitPattern: value)
            return "fixed32 \(value)" + (signed < 0 ? " (sfixed32 \(signed), " : " (") + "float \(Float(bitPattern: value)))"
        }
    }

    static func fixed64(_ value: UInt64, _ kind: AnnotatedFieldInfo.Kind?) -> String {
        switch kind {
        case .double?: return "double \(Double(bitPattern: value))"
        case .fixed64?: return "fixed64 \(value)"
        case .sfixed64?: return "sfixed64 \(Int64(bitPattern: value))"
        default:
            let signed = Int64(bitPattern: value)
            return "fixed64 \(value)" + (signed < 0 ? " (sfixed64 \(signed), " : " (") + "double \(Double(bitPattern: value)))"
        }
    }

    static func quoted(_ text: String) -> String { RawTreeText.quoted(text) }

    static func name(_ kind: AnnotatedFieldInfo.Kind) -> String {
        switch kind {
        case let .message(type): "message \(type)"
        case let .group(type): "group \(type)"
        case let .enumeration(type): "enum \(type)"
        default: "\(kind)"
        }
    }
}
