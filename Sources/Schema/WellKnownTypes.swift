import Protobuf
import WireCore

/// The JSON forms of the well-known types (protobuf.dev "ProtoJSON Format", the table of
/// well-known types), built from the members the generic decoder produced for them.
enum WellKnownTypes {
    static let any = "google.protobuf.Any"
    static let nullValue = "google.protobuf.NullValue"
    static let timestamp = "google.protobuf.Timestamp"
    static let duration = "google.protobuf.Duration"

    static let wrappers: Set<String> = [
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
    ]

    /// Types with a special JSON form; inside an Any these go under "value". Empty is an
    /// ordinary message here, as in SwiftProtobuf and C++: `{"@type": …/google.protobuf.Empty}`.
    static let names: Set<String> = wrappers.union([
        timestamp, duration, "google.protobuf.FieldMask", "google.protobuf.Struct",
        "google.protobuf.Value", "google.protobuf.ListValue", any,
    ])

    enum Form {
        case value(ProtoValue)
        /// Fields decoded, but out of the type's range: the object form stays.
        case invalid(String)
        case notSpecial
    }

    static func jsonForm(_ typeName: String, _ members: [ProtoMember]) -> Form {
        func member(_ name: String) -> ProtoValue? { members.first { $0.name == name }?.value }
        if wrappers.contains(typeName) {
            // protobuf.dev "ProtoJSON Format": wrappers are the JSON of the wrapped value, the
            // default when the value field is absent.
            if let value = member("value") { return .value(value) }
            return .value(wrapperDefault(typeName))
        }
        switch typeName {
        case timestamp:
            return timestampForm(seconds: int64(member("seconds")), nanos: int64(member("nanos")))
        case duration:
            return durationForm(seconds: int64(member("seconds")), nanos: int64(member("nanos")))
        case "google.protobuf.FieldMask":
            guard case let .list(paths) = member("paths") ?? .list([]) else { return .notSpecial }
            let texts = paths.compactMap { if case let .string(text) = $0 { text } else { nil } }
            return .value(.wellKnown(texts.map(fieldMaskPath).joined(separator: ",")))
        case "google.protobuf.Struct":
            if case let .map(entries)? = member("fields") { return .value(.map(entries)) }
            return members.isEmpty ? .value(.map([])) : .notSpecial
        case "google.protobuf.ListValue":
            if case let .list(items)? = member("values") { return .value(.list(items)) }
            return members.isEmpty ? .value(.list([])) : .notSpecial
        case "google.protobuf.Value":
            // A oneof: the last kind on the wire is the value.
            guard let kind = members.last else { return .notSpecial }
            return .value(kind.value)
        default:
            return .notSpecial
        }
    }

    static func int64(_ value: ProtoValue?) -> Int64 {
        switch value {
        case let .int64(number)?, let .int(number)?: number
        default: 0
        }
    }

    static func wrapperDefault(_ typeName: String) -> ProtoValue {
        switch typeName {
        case "google.protobuf.DoubleValue": .double(0)
        case "google.protobuf.FloatValue": .float(0)
        case "google.protobuf.Int64Value": .int64(0)
        case "google.protobuf.UInt64Value": .uint64(0)
        case "google.protobuf.Int32Value": .int(0)
        case "google.protobuf.UInt32Value": .uint(0)
        case "google.protobuf.BoolValue": .bool(false)
        case "google.protobuf.StringValue": .string("")
        default: .bytes([])
        }
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z (timestamp.proto).
    static let minTimestampSeconds: Int64 = -62_135_596_800
    static let maxTimestampSeconds: Int64 = 253_402_300_799

    /// RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits and "Z".
    static func timestampForm(seconds: Int64, nanos: Int64) -> Form {
        guard (minTimestampSeconds...maxTimestampSeconds).contains(seconds), (0...999_999_999).contains(nanos) else {
            return .invalid("out of range: seconds \(seconds), nanos \(nanos)")
        }
        let digits = fractionDigits(nanos)
        return .value(.wellKnown(Timestamp(seconds: seconds, nanoseconds: nanos).rfc3339(fractionDigits: digits)))
    }

    /// ±315,576,000,000 seconds (duration.proto), nanos of the same sign as seconds.
    static func durationForm(seconds: Int64, nanos: Int64) -> Form {
        guard (-315_576_000_000...315_576_000_000).contains(seconds), (-999_999_999...999_999_999).contains(nanos),
              !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0) else {
            return .invalid("out of range: seconds \(seconds), nanos \(nanos)")
        }
        let negative = seconds < 0 || nanos < 0
        var text = (negative ? "-" : "") + String(seconds.magnitude)
        let digits = fractionDigits(nanos)
        if digits > 0 {
            var fraction = String(nanos.magnitude)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            text += "." + fraction.prefix(digits)
        }
        return .value(.wellKnown(text + "s"))
    }

    /// The fewest of 0, 3, 6, 9 digits that show `nanos` exactly.
    static func fractionDigits(_ nanos: Int64) -> Int {
        let magnitude = nanos.magnitude
        if magnitude == 0 { return 0 }
        if magnitude % 1_000_000 == 0 { return 3 }
        if magnitude % 1_000 == 0 { return 6 }
        return 9
    }

    /// FieldMask paths in JSON: each snake_case path in lowerCamelCase.
    static func fieldMaskPath(_ path: String) -> String {
        path.split(separator: ".", omittingEmptySubsequences: false).map { ProtoMember.lowerCamelCase(String($0)) }.joined(separator: ".")
    }
}
