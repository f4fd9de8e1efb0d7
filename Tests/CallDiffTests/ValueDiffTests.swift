import CallDiff
import Protobuf
import Testing

@Suite struct ValueDiffTests {
    static func user(_ email: String, tags: [String], nickname: String? = nil) -> ProtoValue {
        var members = [ProtoMember(name: "id", value: .int64(1)), ProtoMember(name: "email", value: .string(email)),
                       ProtoMember(name: "tags", value: .list(tags.map { .string($0) })),
                       ProtoMember(name: "attributes", value: .map([ProtoMapEntry(key: "team", value: .string("edge"))]))]
        if let nickname { members.append(ProtoMember(name: "nickname", value: .string(nickname))) }
        return .object(members)
    }

    @Test func pathsNameEveryChange() {
        let changes = ValueDiff.changes(Self.user("a@x", tags: ["odd"]), Self.user("b@x", tags: ["odd", "new"], nickname: "li"), path: "response[0]")
        #expect(changes == [
            ValueChange(path: "response[0].email", old: "\"a@x\"", new: "\"b@x\""),
            ValueChange(path: "response[0].tags", old: "1 item", new: "2 items"),
            ValueChange(path: "response[0].tags[1]", old: nil, new: "\"new\""),
            ValueChange(path: "response[0].nickname", old: nil, new: "\"li\""),
        ])
    }

    @Test func equalValuesHaveNoChanges() {
        #expect(ValueDiff.changes(Self.user("a", tags: []), Self.user("a", tags: []), path: "request[0]").isEmpty)
    }

    @Test func mapsCompareByKey() {
        let a = ProtoValue.map([ProtoMapEntry(key: "x", value: .int(1)), ProtoMapEntry(key: "y", value: .int(2))])
        let b = ProtoValue.map([ProtoMapEntry(key: "y", value: .int(2)), ProtoMapEntry(key: "x", value: .int(3))])
        #expect(ValueDiff.changes(a, b, path: "m") == [ValueChange(path: "m[\"x\"]", old: "1", new: "3")])
    }
}
