@testable import Schema
import Testing

/// Finding fields by number: scanned for small messages, hashed past 16 fields; the first field
/// wins for a repeated number either way, and the lookup follows changes to `fields`.
@Suite struct MessageSchemaTests {
    func fields(_ numbers: [Int]) -> [FieldSchema] {
        numbers.enumerated().map { FieldSchema(name: "f\($0.offset)", number: $0.element, type: .int32) }
    }

    @Test(arguments: [3, 16, 17, 40])
    func fieldsAreFoundByNumber(count: Int) {
        let numbers = (1...count).map { $0 * 3 } + [6]  // 6 twice: the first (f1) wins
        let schema = MessageSchema(fullName: "test.M", fields: fields(numbers))
        for (position, number) in numbers.enumerated().dropLast() {
            #expect(schema.field(number: number)?.name == "f\(position)")
        }
        #expect(schema.field(number: 6)?.name == "f1")
        #expect(schema.field(number: 2) == nil && schema.field(number: count * 3 + 3) == nil)
    }

    @Test func changesAreFollowed() {
        var schema = MessageSchema(fullName: "test.M", fields: fields(Array(1...20)))
        schema.fields = fields([100, 200])
        #expect(schema.field(number: 200)?.name == "f1" && schema.field(number: 5) == nil)
        schema.fields = fields(Array(101...130))
        #expect(schema.field(number: 130)?.name == "f29" && schema.field(number: 100) == nil)
        #expect(!schema.isWellKnown)
        schema.fullName = "google.protobuf.Timestamp"
        #expect(schema.isWellKnown)
    }
}
