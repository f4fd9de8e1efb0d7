import Protobuf

/// The members of one message being decoded, in order of first appearance on the wire, with
/// protobuf's rules for fields seen more than once (protobuf.dev "Encoding", Last One Wins):
/// scalars: the last value wins (at the first position); messages: merged; repeated fields and
/// maps: appended (a map key seen again takes the new value).
struct MemberList {
    var members: [ProtoMember] = []
    /// Slots of the members: the field number for schema fields, its negation for raw members
    /// (unknown numbers and contradicting occurrences), 0 for the error member.
    private var slots = SlotIndex()
    /// Something in this message is not as the schema says: unknown fields, contradictions,
    /// malformed bytes. Well-known types then keep their object form.
    var irregular = false
    /// Entry index by key, per map field number (a key seen again replaces its value).
    var mapKeys: [Int: [String: Int]] = [:]

    func value(slot: Int) -> ProtoValue? {
        slots[slot].map { members[$0].value }
    }

    mutating func add(_ field: FieldSchema, _ value: ProtoValue) {
        if field.isRepeated {
            addAll(field, [value])
            return
        }
        guard let index = slots[field.number] else {
            slots.insert(field.number, at: members.count)
            members.append(ProtoMember(name: field.name, jsonName: field.jsonName, value: value))
            return
        }
        if field.type == .message || field.type == .group {
            members[index].value = Self.merge(members[index].value, value)
        } else {
            members[index].value = value
        }
    }

    mutating func addAll(_ field: FieldSchema, _ values: [ProtoValue]) {
        guard let index = slots[field.number] else {
            slots.insert(field.number, at: members.count)
            members.append(ProtoMember(name: field.name, jsonName: field.jsonName, value: .list(values)))
            return
        }
        if case var .list(items) = members[index].value {
            members[index].value = .list([])  // keep the array uniquely referenced while appending
            items += values
            members[index].value = .list(items)
        }
    }

    mutating func addMapEntry(_ field: FieldSchema, key: String, value: ProtoValue) {
        guard let index = slots[field.number] else {
            slots.insert(field.number, at: members.count)
            mapKeys[field.number] = [key: 0]
            members.append(ProtoMember(name: field.name, jsonName: field.jsonName, value: .map([ProtoMapEntry(key: key, value: value)])))
            return
        }
        if case var .map(entries) = members[index].value {
            members[index].value = .map([])  // keep the array uniquely referenced while changing it
            if let existing = mapKeys[field.number]?[key] {
                entries[existing].value = value
            } else {
                mapKeys[field.number, default: [:]][key] = entries.count
                entries.append(ProtoMapEntry(key: key, value: value))
            }
            members[index].value = .map(entries)
        }
    }

    /// A field the schema knows, whose occurrence could not be read as its type.
    mutating func addIrregular(_ field: FieldSchema, _ value: ProtoValue) {
        addUnknown(slot: -field.number, name: field.name, jsonName: field.jsonName, value)
    }

    /// A raw member: a second occurrence turns it into a list.
    mutating func addUnknown(slot: Int, name: String, jsonName: String, _ value: ProtoValue) {
        irregular = true
        guard let index = slots[slot] else {
            slots.insert(slot, at: members.count)
            members.append(ProtoMember(name: name, jsonName: jsonName, value: value))
            return
        }
        if case let .list(items) = members[index].value {
            members[index].value = .list(items + [value])
        } else {
            members[index].value = .list([members[index].value, value])
        }
    }

    /// The member that marks malformed bytes, as `HandSchemaDecoder` does.
    mutating func addError(_ problem: String) {
        irregular = true
        guard slots[0] == nil else { return }
        slots.insert(0, at: members.count)
        members.append(ProtoMember(name: "!", jsonName: "@error", value: .string(problem)))
    }

    /// protobuf.dev "Encoding", Last One Wins: a message seen twice is the merge of both.
    static func merge(_ old: ProtoValue, _ new: ProtoValue) -> ProtoValue {
        guard case var .object(members) = old, case let .object(newMembers) = new else { return new }
        for member in newMembers {
            guard let index = members.firstIndex(where: { $0.name == member.name }) else {
                members.append(member)
                continue
            }
            switch (members[index].value, member.value) {
            case let (.list(a), .list(b)):
                members[index].value = .list(a + b)
            case let (.map(a), .map(b)):
                var entries = a
                for entry in b {
                    if let existing = entries.firstIndex(where: { $0.key == entry.key }) { entries[existing].value = entry.value } else { entries.append(entry) }
                }
                members[index].value = .map(entries)
            case (.object, .object):
                members[index].value = merge(members[index].value, member.value)
            default:
                members[index].value = member.value
            }
        }
        return .object(members)
    }
}

/// Member index by slot. Most messages have a few members: they are found by scanning a small
/// array (no hashing, no dictionary per message); past `scanLimit` members a dictionary takes over,
/// so that hostile input with thousands of distinct unknown fields stays linear.
struct SlotIndex {
    static let scanLimit = 16
    private var order: [Int] = []
    private var table: [Int: Int]?

    subscript(slot: Int) -> Int? {
        if let table { return table[slot] }
        return order.firstIndex(of: slot)
    }

    mutating func insert(_ slot: Int, at index: Int) {
        if table != nil {
            table![slot] = index
            return
        }
        order.append(slot)
        if order.count > Self.scanLimit {
            table = Dictionary(uniqueKeysWithValues: zip(order, order.indices))
            order = []
        }
    }
}
