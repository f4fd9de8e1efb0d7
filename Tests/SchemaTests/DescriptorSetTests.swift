import Foundation
import Protobuf
import Schema
import SwiftProtobuf
import XCTest

/// Rich messages: the fixture protosets decoded as FileDescriptorSet / FileDescriptorProto with
/// descriptor.proto's own schema, compared with SwiftProtobuf's JSON.
final class DescriptorSetTests: XCTestCase {
    func testEveryFileOfTheProtosetsAndTheWholeSets() throws {
        for fixture in ["wkt.protoset", "scalars.protoset"] {
            let bytes = try Fixtures.bytes(fixture)
            let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
            XCTAssertGreaterThan(set.file.count, 0)
            for file in set.file {
                try assertMatchesSwiftProtobuf(file)
            }
            try assertMatchesSwiftProtobuf(set)
        }
    }

    func testDescriptorProtoWithOptionsAndSourceInfo() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "a/b.proto"
        file.options.javaPackage = "com.example"
        file.options.optimizeFor = .codeSize
        file.options.ccEnableArenas = false
        var location = Google_Protobuf_SourceCodeInfo.Location()
        location.path = [4, 0, 2, 1]
        location.span = [3, 2, 40]
        location.leadingComments = " a comment\n"
        file.sourceCodeInfo.location = [location]
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "f"
        field.defaultValue = "-inf"
        field.options.packed = true
        field.options.ctype = .cord
        var message = Google_Protobuf_DescriptorProto()
        message.name = "M"
        message.field = [field]
        message.reservedName = ["x", "y"]
        var range = Google_Protobuf_DescriptorProto.ReservedRange()
        range.start = 5
        range.end = 10
        message.reservedRange = [range]
        file.messageType = [message]
        try assertMatchesSwiftProtobuf(file)
    }

    func testPoolLookups() throws {
        let pool = Fixtures.wktPool
        XCTAssertTrue(pool.problems.isEmpty, "\(pool.problems)")
        XCTAssertNotNil(pool.message(named: "google.protobuf.FileDescriptorProto"))
        XCTAssertNotNil(pool.message(named: ".google.protobuf.Timestamp"))
        XCTAssertNil(pool.message(named: "google.protobuf.Nope"))
        XCTAssertEqual(pool.enumType(named: "google.protobuf.FieldDescriptorProto.Type")?.name(of: 9), "TYPE_STRING")
        let field = try XCTUnwrap(pool.message(named: "google.protobuf.FieldDescriptorProto")?.field(named: "json_name"))
        XCTAssertEqual(field.jsonName, "jsonName")
        XCTAssertTrue(try XCTUnwrap(pool.message(named: "google.protobuf.Struct")?.field(number: 1)).isMap)
        XCTAssertTrue(pool.serviceNames.isEmpty)
        XCTAssertNil(SchemaDecoder(pool: pool).decode([1, 2, 3][...], as: "no.Such"))
    }

    func testPoolConflictsAndMerging() throws {
        let wkt = Fixtures.wktPool
        let scalars = try Fixtures.pool("scalars.protoset")
        let merged = scalars.merging(wkt)
        XCTAssertNotNil(merged.message(named: "grpcdump.test.Scalars"))
        XCTAssertNotNil(merged.message(named: "google.protobuf.Any"))
        XCTAssertNotNil(merged.method(path: "/grpcdump.test.Echo/Say"))
        XCTAssertTrue(merged.problems.isEmpty, "same files twice are no conflict: \(merged.problems)")

        var first = Google_Protobuf_FileDescriptorProto()
        first.name = "one.proto"
        first.package = "p"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "M"
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "a"
        field.number = 1
        field.type = .string
        message.field = [field]
        first.messageType = [message]
        var second = first
        second.name = "two.proto"
        second.messageType[0].field[0].name = "b"
        var changed = first
        changed.messageType[0].field[0].name = "c"
        let pool = DescriptorPool(files: [first, second, changed])
        XCTAssertEqual(pool.files.map(\.name), ["one.proto", "two.proto"])
        XCTAssertEqual(pool.message(named: "p.M")?.field(number: 1)?.name, "a", "first definition wins")
        XCTAssertEqual(pool.problems.count, 2, "\(pool.problems)")
        let other = DescriptorPool(files: [second])
        XCTAssertEqual(other.merging(DescriptorPool(files: [first])).message(named: "p.M")?.field(number: 1)?.name, "b", "self wins")
    }

    func testRelativeTypeNamesResolveByScope() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "rel.proto"
        file.package = "a.b"
        var inner = Google_Protobuf_DescriptorProto()
        inner.name = "Inner"
        var outer = Google_Protobuf_DescriptorProto()
        outer.name = "Outer"
        outer.nestedType = [inner]
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "inner"
        field.number = 1
        field.typeName = "Inner"  // no type: a hand-made descriptor
        outer.field = [field]
        var other = Google_Protobuf_DescriptorProto()
        other.name = "Other"
        var ref = Google_Protobuf_FieldDescriptorProto()
        ref.name = "outer"
        ref.number = 2
        ref.typeName = "b.Outer"
        other.field = [ref]
        file.messageType = [outer, other]
        let pool = DescriptorPool(files: [file])
        XCTAssertTrue(pool.problems.isEmpty, "\(pool.problems)")
        XCTAssertEqual(pool.message(named: "a.b.Outer")?.field(number: 1)?.typeName, "a.b.Outer.Inner")
        XCTAssertEqual(pool.message(named: "a.b.Other")?.field(number: 2)?.typeName, "a.b.Outer")
        XCTAssertEqual(pool.message(named: "a.b.Other")?.field(number: 2)?.type, .message)
    }

    func testInvalidProtosetThrows() {
        XCTAssertThrowsError(try DescriptorPool(fileDescriptorSet: [0xFF, 0xFF, 0xFF])) { error in
            XCTAssertTrue("\(error)".contains("not a FileDescriptorSet"), "\(error)")
        }
        XCTAssertThrowsError(try DescriptorPool(fileDescriptorSet: [0x08, 0x01]))
    }
}

extension DescriptorSetTests {
    /// A protoset made without --include_imports: the well-known types still decode.
    func testBuiltinWellKnownTypesWithoutImports() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "event.proto"
        file.package = "ev"
        file.dependency = ["google/protobuf/timestamp.proto", "google/protobuf/struct.proto"]
        file.syntax = "proto3"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "Event"
        var at = Google_Protobuf_FieldDescriptorProto()
        at.name = "at"
        at.number = 1
        at.type = .message
        at.typeName = ".google.protobuf.Timestamp"
        var attrs = Google_Protobuf_FieldDescriptorProto()
        attrs.name = "attrs"
        attrs.number = 2
        attrs.type = .message
        attrs.typeName = ".google.protobuf.Struct"
        message.field = [at, attrs]
        file.messageType = [message]
        let pool = DescriptorPool(files: [file])
        XCTAssertTrue(pool.problems.isEmpty, "\(pool.problems)")
        XCTAssertEqual(pool.files.map(\.name), ["event.proto"])
        var bytes: [UInt8] = [0x0A, 0x06, 0x08, 0xC0, 0xD4, 0x8F, 0xAF, 0x05]  // at { seconds: 1441000000 }
        bytes += [0x12, 0x0B, 0x0A, 0x09, 0x0A, 0x01, 0x6B, 0x12, 0x04, 0x1A, 0x02, 0x68, 0x69]  // attrs { k: "hi" }
        let decoded = try XCTUnwrap(SchemaDecoder(pool: pool).decode(bytes[...], as: "ev.Event"))
        XCTAssertTrue(decoded.isClean, "\(decoded.problems)")
        XCTAssertEqual(JSON(decoded.value).description, "{\"at\": \"2015-08-31T05:46:40Z\", \"attrs\": {\"k\": \"hi\"}}")
        XCTAssertNil(DescriptorPool(files: [file], includeWellKnownTypes: false).message(named: "google.protobuf.Timestamp"))
    }
}

extension DescriptorSetTests {
    /// proto3: repeated scalars are packed unless `[packed = false]`; `optional` is a synthetic
    /// oneof, not a member of a real one.
    func testProto3PackingAndOptional() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "p3.proto"
        file.syntax = "proto3"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "P"
        func field(_ name: String, _ number: Int32, _ label: Google_Protobuf_FieldDescriptorProto.Label) -> Google_Protobuf_FieldDescriptorProto {
            var field = Google_Protobuf_FieldDescriptorProto()
            field.name = name
            field.number = number
            field.type = .int32
            field.label = label
            return field
        }
        var unpacked = field("unpacked", 2, .repeated)
        unpacked.options.packed = false
        var optional = field("maybe", 3, .optional)
        optional.proto3Optional = true
        optional.oneofIndex = 0
        message.field = [field("values", 1, .repeated), unpacked, optional]
        message.oneofDecl = [Google_Protobuf_OneofDescriptorProto.with { $0.name = "_maybe" }]
        file.messageType = [message]
        let schema = try XCTUnwrap(DescriptorPool(files: [file]).message(named: "P"))
        XCTAssertEqual(schema.syntax, "proto3")
        XCTAssertEqual(schema.field(number: 1)?.isPacked, true)
        XCTAssertEqual(schema.field(number: 2)?.isPacked, false)
        XCTAssertNil(schema.field(number: 3)?.oneofName)
        XCTAssertEqual(schema.field(number: 3)?.jsonName, "maybe")
        // Both encodings decode, and the optional field's zero is shown when present.
        let decoded = try XCTUnwrap(SchemaDecoder(pool: DescriptorPool(files: [file])).decode([0x08, 0x01, 0x0A, 0x02, 0x02, 0x03, 0x12, 0x01, 0x04, 0x18, 0x00][...], as: "P"))
        XCTAssertTrue(decoded.isClean)
        XCTAssertEqual(JSON(decoded.value).description, "{\"maybe\": 0.0, \"unpacked\": [4.0], \"values\": [1.0, 2.0, 3.0]}")
    }
}
