import WireCore

/// A decoded message in the style of protobuf text format: `name: value` per line, nested
/// messages in braces, repeated fields as repeated entries, unknown fields raw with their range.
///
///     code: 3
///     details {
///       @type: "type.googleapis.com/google.rpc.BadRequest"
///       field_violations {
///         field: "id"
///       }
///     }
public enum ProtoValueText {
    public static func lines(_ value: ProtoValue, indent: String = "") -> [String] {
        guard case let .object(members) = value else { return [indent + scalar(value)] }
        return members.flatMap { lines(name: $0.name, $0.value, indent: indent) }
    }

    static func lines(name: String, _ value: ProtoValue, indent: String) -> [String] {
        switch value {
        case let .list(items) where items.allSatisfy(isScalar):
            return [indent + name + ": [" + items.map(scalar).joined(separator: ", ") + "]"]
        case let .list(items):
            return items.flatMap { lines(name: name, $0, indent: indent) }
        case .object:
            return [indent + name + " {"] + lines(value, indent: indent + "  ") + [indent + "}"]
        case let .map(entries):
            return entries.flatMap { lines(name: name + "[" + RawTreeText.quoted($0.key) + "]", $0.value, indent: indent) }
        case let .unknown(field, note):
            var message = RawMessage()
            message.fields = [field]
            let raw = RawTreeText.lines(message, indent: indent)
            guard let first = raw.first else { return [] }
            return [first + "  ! " + (note ?? "unknown field")] + raw.dropFirst()
        default:
            return [indent + name + ": " + scalar(value)]
        }
    }

    /// Longer bytes values are cut in the terminal view (`-x` and `--json` show them whole).
    static let maxBytesShown = 48

    static func isScalar(_ value: ProtoValue) -> Bool {
        switch value {
        case .object, .map, .list, .unknown: false
        default: true
        }
    }

    static func scalar(_ value: ProtoValue) -> String {
        switch value {
        case let .string(text): RawTreeText.quoted(text)
        case let .int(number), let .int64(number): String(number)
        case let .uint(number), let .uint64(number): String(number)
        case let .bool(flag): flag ? "true" : "false"
        case let .float(number): "\(number)"
        case let .double(number): "\(number)"
        case .null: "null"
        case let .bytes(bytes) where bytes.count > maxBytesShown: "0x" + Hex.string(bytes.prefix(maxBytesShown)) + "… (\(bytes.count) bytes)"
        case let .bytes(bytes): "0x" + Hex.string(bytes)
        case let .enumValue(name, number): name ?? String(number)
        case let .wellKnown(text): text
        case .object, .map, .list, .unknown: ""
        }
    }
}
