import Protobuf
import WireCore

/// Messages with no schema, in the decoded shape so that they compare like schema-decoded ones:
/// members named by field number, repeated numbers as lists, LEN fields as their chosen reading.
public enum RawValues {
    public static func value(_ message: RawMessage) -> ProtoValue {
        var order: [Int] = []
        var values: [Int: [ProtoValue]] = [:]
        for field in message.fields {
            if values[field.number] == nil { order.append(field.number) }
            values[field.number, default: []].append(value(field.value))
        }
        var members = order.map { number -> ProtoMember in
            let list = values[number]!
            return ProtoMember(name: String(number), jsonName: String(number), value: list.count == 1 ? list[0] : .list(list))
        }
        if let problem = message.problems.first { members.append(ProtoMember(name: "!", jsonName: "@error", value: .string(problem.message))) }
        return .object(members)
    }

    static func value(_ raw: RawValue) -> ProtoValue {
        switch raw {
        case let .varint(number), let .fixed64(number): return .uint64(number)
        case let .fixed32(number): return .uint(UInt64(number))
        case let .group(fields):
            var inner = RawMessage()
            inner.fields = fields
            return value(inner)
        case let .lengthDelimited(content):
            switch content.interpretation {
            case let .message(inner): return value(inner)
            case let .text(text): return .string(text)
            case let .packedVarints(numbers): return .list(numbers.map { .uint64($0) })
            case let .packedFixed32(numbers): return .list(numbers.map { .uint(UInt64($0)) })
            case let .packedFixed64(numbers): return .list(numbers.map { .uint64($0) })
            case .bytes: return .bytes(Array(content.bytes))
            }
        }
    }

    /// A raw value in one line, for unknown fields.
    static func text(_ raw: RawValue) -> String {
        switch raw {
        case let .varint(number), let .fixed64(number): String(number)
        case let .fixed32(number): String(number)
        case let .lengthDelimited(content): "0x" + Hex.string(content.bytes.prefix(32)) + (content.bytes.count > 32 ? "…" : "")
        case let .group(fields): "group of \(fields.count) field\(fields.count == 1 ? "" : "s")"
        }
    }
}
