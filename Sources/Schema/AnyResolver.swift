import Protobuf
import WireCore

/// google.protobuf.Any in JSON (protobuf.dev "ProtoJSON Format", Any): `{"@type": url, …the
/// packed message's members}`, or `{"@type": url, "value": <JSON form>}` when the packed message
/// is a well-known type with a special form. A type the pool does not define keeps its bytes
/// raw, with a note.
extension DecodeRun {
    mutating func any(_ reader: inout WireReader, _ schema: MessageSchema, depth: Int) -> ProtoValue {
        let start = reader.offset
        // Where the last value (field 2) is, read in place so that its offsets stay absolute.
        var scan = reader
        var valueField: (field: Range<Int>, content: Range<Int>)?
        while !scan.isAtEnd {
            let fieldStart = scan.index
            guard let tag = scan.readVarint() else { break }
            if tag >> 3 == 2, tag & 7 == 2 {  // value = 2, LEN
                guard let length = scan.readVarint(), length <= UInt64(scan.remaining) else { break }
                let content = scan.index..<(scan.index + Int(length))
                _ = scan.skip(length)
                valueField = (fieldStart..<scan.index, content)
                continue
            }
            var ignored = MemberList()
            var quiet = self
            guard quiet.skipValue(UInt8(tag & 7), number: Int(tag >> 3), fieldStart: fieldStart, &scan, &ignored) else { break }
        }
        var body = MemberList()
        let complete = fields(&reader, schema, depth: depth, endGroup: nil, into: &body)
        guard complete, !body.irregular else { return .object(body.members) }
        guard case let .string(typeURL)? = body.value(slot: 1) else {
            return body.members.isEmpty ? .object([]) : .object(body.members)
        }
        var members = [ProtoMember(name: "@type", jsonName: "@type", value: .string(typeURL))]
        let typeName = typeURL.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let packed = pool.message(named: typeName), !typeName.isEmpty else {
            if let valueField {
                members.append(ProtoMember(name: "value", jsonName: "value",
                                           value: .unknown(raw(reader, valueField.field), note: "type \(typeName) is not in the descriptor pool")))
            }
            return .object(members)
        }
        guard depth < depthLimit else {
            problems.append(Self.problem("schema.depth-limit", "Any: message nested deeper than \(depthLimit)", at: start))
            if let valueField {
                members.append(ProtoMember(name: "value", jsonName: "value", value: .unknown(raw(reader, valueField.field), note: "nested deeper than \(depthLimit)")))
            }
            return .object(members)
        }
        var inner = WireReader(sub: reader, valueField?.content ?? reader.end..<reader.end)
        let value = message(&inner, packed, depth: depth + 1)
        if WellKnownTypes.names.contains(packed.fullName) {
            members.append(ProtoMember(name: "value", jsonName: "value", value: value))
        } else if case let .object(innerMembers) = value {
            members += innerMembers
        } else {
            members.append(ProtoMember(name: "value", jsonName: "value", value: value))
        }
        return .object(members)
    }
}
