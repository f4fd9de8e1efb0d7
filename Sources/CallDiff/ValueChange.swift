import Protobuf
import WireCore

/// One difference between two decoded messages: where (`response[2].users[3].email`) and the
/// value on each side as shown in the text view (nil: absent on that side).
public struct ValueChange: Sendable, Equatable {
    public var path: String
    public var old: String?
    public var new: String?

    public init(path: String, old: String?, new: String?) {
        self.path = path
        self.old = old
        self.new = new
    }
}

/// Field-by-field differences of two messages in the decoded shape (docs/diff.md): objects by
/// member name, lists by index (with the length change), maps by key; scalars by their text.
public enum ValueDiff {
    public static func changes(_ old: ProtoValue?, _ new: ProtoValue?, path: String) -> [ValueChange] {
        var changes: [ValueChange] = []
        compare(old, new, path: path, into: &changes)
        return changes
    }

    static func compare(_ old: ProtoValue?, _ new: ProtoValue?, path: String, into changes: inout [ValueChange]) {
        switch (old, new) {
        case (nil, nil):
            return
        case let (.object(a)?, .object(b)?):
            let left = members(a), right = members(b)
            for name in orderedUnion(a.map(\.name), b.map(\.name)) {
                compare(left[name], right[name], path: join(path, name), into: &changes)
            }
        case let (.map(a)?, .map(b)?):
            let left = Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            let right = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            for key in orderedUnion(a.map(\.key), b.map(\.key)) {
                compare(left[key], right[key], path: path + "[" + RawTreeText.quoted(key) + "]", into: &changes)
            }
        case let (.list(a)?, .list(b)?):
            if a.count != b.count { changes.append(ValueChange(path: path, old: count(a.count), new: count(b.count))) }
            for index in 0..<max(a.count, b.count) {
                compare(index < a.count ? a[index] : nil, index < b.count ? b[index] : nil, path: path + "[\(index)]", into: &changes)
            }
        default:
            let left = old.map(text), right = new.map(text)
            if left != right { changes.append(ValueChange(path: path, old: left, new: right)) }
        }
    }

    static func members(_ list: [ProtoMember]) -> [String: ProtoValue] {
        Dictionary(list.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    static func orderedUnion(_ a: [String], _ b: [String]) -> [String] {
        var seen = Set<String>()
        return (a + b).filter { seen.insert($0).inserted }
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    static func count(_ items: Int) -> String { "\(items) item\(items == 1 ? "" : "s")" }

    /// A value in one line: scalars as in the text view, messages and lists compactly.
    static func text(_ value: ProtoValue) -> String {
        switch value {
        case let .object(members):
            return "{" + members.map { $0.name + ": " + text($0.value) }.joined(separator: ", ") + "}"
        case let .map(entries):
            return "{" + entries.map { RawTreeText.quoted($0.key) + ": " + text($0.value) }.joined(separator: ", ") + "}"
        case let .list(items):
            return "[" + items.map(text).joined(separator: ", ") + "]"
        case let .unknown(field, _):
            return "field \(field.number) " + RawValues.text(field.value)
        default:
            return ProtoValueText.lines(value).first ?? ""
        }
    }
}
