import Foundation
import Protobuf
import Schema
import SwiftProtobuf
import XCTest

/// Every well-known type, compared with SwiftProtobuf's own JSON (protobuf.dev "ProtoJSON Format").
final class WellKnownTypesTests: XCTestCase {
    func testTimestamps() throws {
        for (seconds, nanos) in [(Int64(0), Int32(0)), (1_700_000_000, 500_000_000), (1_700_000_000, 123_456_000), (1_700_000_000, 1),
                                 (-1, 999_999_999), (-62_135_596_800, 0), (253_402_300_799, 999_999_999), (951_782_400, 10_000)] {
            try assertMatchesSwiftProtobuf(Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos))
        }
        let decoded = try decode(Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 120_000_000))
        guard case let .wellKnown(text) = decoded.value else { return XCTFail("\(decoded.value)") }
        XCTAssertEqual(text, "2023-11-14T22:13:20.120Z")
    }

    func testDurations() throws {
        for (seconds, nanos) in [(Int64(0), Int32(0)), (1, 500_000_000), (-1, -500_000_000), (0, -1), (0, 1_000), (315_576_000_000, 0),
                                 (-315_576_000_000, 0), (3600, 123_456_789)] {
            try assertMatchesSwiftProtobuf(Google_Protobuf_Duration(seconds: seconds, nanos: nanos))
        }
        guard case let .wellKnown(text) = try decode(Google_Protobuf_Duration(seconds: -1, nanos: -500_000_000)).value else { return XCTFail() }
        XCTAssertEqual(text, "-1.500s")
    }

    func testOutOfRangeTimestampAndDurationKeepObjectFormWithProblem() throws {
        let cases: [([UInt8], String)] = [(try Google_Protobuf_Timestamp(seconds: 253_402_300_800, nanos: 0).serializedBytes(), "google.protobuf.Timestamp"),
                                (try Google_Protobuf_Timestamp(seconds: 0, nanos: -1).serializedBytes(), "google.protobuf.Timestamp"),
                                (try Google_Protobuf_Duration(seconds: 1, nanos: -1).serializedBytes(), "google.protobuf.Duration"),
                                (try Google_Protobuf_Duration(seconds: 315_576_000_001, nanos: 0).serializedBytes(), "google.protobuf.Duration")]
        for (message, name) in cases {
            let decoded = try XCTUnwrap(SchemaDecoder(pool: Fixtures.wktPool).decode(message[...], as: name, baseOffset: 10))
            guard case .object = decoded.value else { return XCTFail("\(decoded.value)") }
            XCTAssertEqual(decoded.problems.count, 1)
            XCTAssertTrue(decoded.problems.first?.message.contains("out of range") == true, "\(decoded.problems)")
            XCTAssertTrue(decoded.problems.first?.message.contains("at byte 10") == true, "\(decoded.problems)")
            XCTAssertEqual(decoded.problems.first?.code, "schema.well-known.invalid")
        }
    }

    func testWrappers() throws {
        try assertMatchesSwiftProtobuf(Google_Protobuf_DoubleValue(-1.25))
        try assertMatchesSwiftProtobuf(Google_Protobuf_FloatValue(0.1))
        try assertMatchesSwiftProtobuf(Google_Protobuf_Int64Value(-9_000_000_000))
        try assertMatchesSwiftProtobuf(Google_Protobuf_UInt64Value(18_000_000_000_000_000_000))
        try assertMatchesSwiftProtobuf(Google_Protobuf_Int32Value(-5))
        try assertMatchesSwiftProtobuf(Google_Protobuf_UInt32Value(4_000_000_000))
        try assertMatchesSwiftProtobuf(Google_Protobuf_BoolValue(true))
        try assertMatchesSwiftProtobuf(Google_Protobuf_StringValue("snow ☃"))
        try assertMatchesSwiftProtobuf(Google_Protobuf_BytesValue(Data([0, 1, 2, 0xFF])))
        // Defaults are absent on the wire: the wrapper is still its scalar.
        try assertMatchesSwiftProtobuf(Google_Protobuf_Int32Value(0))
        try assertMatchesSwiftProtobuf(Google_Protobuf_StringValue(""))
        guard case .int64(-9_000_000_000) = try decode(Google_Protobuf_Int64Value(-9_000_000_000)).value else { return XCTFail() }
        guard case .uint64(7) = try decode(Google_Protobuf_UInt64Value(7)).value else { return XCTFail() }
    }

    func testFieldMask() throws {
        try assertMatchesSwiftProtobuf(Google_Protobuf_FieldMask(protoPaths: ["user.display_name", "photo", "a_b.c_d_e"]))
        try assertMatchesSwiftProtobuf(Google_Protobuf_FieldMask())
        guard case .wellKnown("user.displayName,photo") = try decode(Google_Protobuf_FieldMask(protoPaths: ["user.display_name", "photo"])).value
        else { return XCTFail() }
    }

    func testEmpty() throws {
        try assertMatchesSwiftProtobuf(Google_Protobuf_Empty())
    }

    func testStructWithNestedListsAndNulls() throws {
        var inner = Google_Protobuf_Struct()
        inner.fields["deep"] = list(nil, 1, "x", list(true, nil, object([:])))
        inner.fields["none"] = Google_Protobuf_Value(nilLiteral: ())
        var root = Google_Protobuf_Struct()
        root.fields["name"] = "grpcdump"
        root.fields["count"] = 3.5
        root.fields["on"] = true
        root.fields["nothing"] = Google_Protobuf_Value(nilLiteral: ())  // (`= nil` would remove the key)
        root.fields["list"] = list(1, 2, list(3, list(4)), nil, "five")
        root.fields["inner"] = Google_Protobuf_Value(structValue: inner)
        root.fields["empty"] = Google_Protobuf_Value(structValue: Google_Protobuf_Struct())
        root.fields["emptyList"] = list()
        try assertMatchesSwiftProtobuf(root)
        try assertMatchesSwiftProtobuf(list(nil, "a", 2))
        try assertMatchesSwiftProtobuf(Google_Protobuf_ListValue(values: [1, nil, object([:])]))
        try assertMatchesSwiftProtobuf(Google_Protobuf_Value(stringValue: "just text"))
        try assertMatchesSwiftProtobuf(Google_Protobuf_Value(numberValue: 0))
        let decoded = try decode(root)
        guard case let .map(entries) = decoded.value else { return XCTFail("\(decoded.value)") }
        guard case .null? = entries.first(where: { $0.key == "nothing" })?.value else { return XCTFail("\(entries)") }
        guard case .null = try decode(Google_Protobuf_Value(nilLiteral: ())).value else { return XCTFail() }
    }

    func testAnyWrappingFileDescriptorProto() throws {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "x.proto"
        file.package = "pkg"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "M"
        var field = Google_Protobuf_FieldDescriptorProto()
        field.name = "f"
        field.number = 1
        field.type = .int32
        field.label = .optional
        message.field = [field]
        file.messageType = [message]
        let any = try Google_Protobuf_Any(message: file)
        try assertMatchesSwiftProtobuf(any)
        let decoded = try decode(any)
        guard case let .object(members) = decoded.value else { return XCTFail() }
        XCTAssertEqual(members.first?.name, "@type")
        XCTAssertEqual(members.map(\.name), ["@type", "name", "package", "message_type"])
    }

    func testAnyWrappingWellKnownTypes() throws {
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 5_000_000)))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Duration(seconds: -3, nanos: 0)))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Int64Value(12)))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Struct(fields: ["a": 1])))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_FieldMask(protoPaths: ["a_b"])))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Any(message: Google_Protobuf_Timestamp(seconds: 1, nanos: 0))))
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: Google_Protobuf_Empty()))
        let decoded = try decode(try Google_Protobuf_Any(message: Google_Protobuf_Timestamp(seconds: 0, nanos: 0)))
        guard case let .object(members) = decoded.value, members.count == 2, members[0].name == "@type",
              case .wellKnown("1970-01-01T00:00:00Z") = members[1].value else { return XCTFail("\(decoded.value)") }
    }

    func testAnyWithUnknownTypeKeepsValueRaw() throws {
        var any = Google_Protobuf_Any()
        any.typeURL = "type.googleapis.com/acme.Secret"
        any.value = Data([0x08, 0x96, 0x01])
        let decoded = try decode(any, baseOffset: 100)
        XCTAssertTrue(decoded.isClean)
        guard case let .object(members) = decoded.value, members.count == 2,
              case .string("type.googleapis.com/acme.Secret") = members[0].value,
              case let .unknown(raw, note) = members[1].value else { return XCTFail("\(decoded.value)") }
        XCTAssertEqual(members[1].name, "value")
        XCTAssertEqual(raw.number, 2)
        XCTAssertTrue(note?.contains("acme.Secret") == true)
        XCTAssertEqual(raw.span.start, 100 + 2 + any.typeURL.utf8.count)
    }

    func list(_ values: Google_Protobuf_Value...) -> Google_Protobuf_Value {
        Google_Protobuf_Value(listValue: Google_Protobuf_ListValue(values: values))
    }

    func object(_ fields: [String: Google_Protobuf_Value]) -> Google_Protobuf_Value {
        Google_Protobuf_Value(structValue: Google_Protobuf_Struct(fields: fields))
    }

    func decode<M: SwiftProtobuf.Message>(_ message: M, baseOffset: Int = 0) throws -> SchemaDecoded {
        let bytes: [UInt8] = try message.serializedBytes()
        return try XCTUnwrap(SchemaDecoder(pool: Fixtures.wktPool).decode(bytes[...], as: M.protoMessageName, baseOffset: baseOffset))
    }
}

extension WellKnownTypesTests {
    /// api.proto, type.proto and source_context.proto: ordinary messages, with Any options,
    /// enums and nested repeated messages.
    func testApiAndTypeMessages() throws {
        var option = Google_Protobuf_Option()
        option.name = "deprecated"
        option.value = try Google_Protobuf_Any(message: Google_Protobuf_BoolValue(true))
        var field = Google_Protobuf_Field()
        field.kind = .typeString
        field.cardinality = .repeated
        field.number = 3
        field.name = "tags"
        field.jsonName = "tags"
        field.packed = false
        field.options = [option]
        var type = Google_Protobuf_Type()
        type.name = "acme.Thing"
        type.fields = [field]
        type.oneofs = ["choice"]
        type.sourceContext.fileName = "acme/thing.proto"
        type.syntax = .proto3
        try assertMatchesSwiftProtobuf(type)
        var method = Google_Protobuf_Method()
        method.name = "Get"
        method.requestTypeURL = "type.googleapis.com/acme.GetRequest"
        method.responseStreaming = true
        var api = Google_Protobuf_Api()
        api.name = "acme.Things"
        api.methods = [method]
        api.version = "v1"
        api.mixins = [Google_Protobuf_Mixin.with { $0.name = "google.iam.v1.IAMPolicy"; $0.root = "v1/{resource=**}" }]
        try assertMatchesSwiftProtobuf(api)
        var enumType = Google_Protobuf_Enum()
        enumType.name = "acme.Color"
        enumType.enumvalue = [Google_Protobuf_EnumValue.with { $0.name = "RED"; $0.number = -1 }]
        try assertMatchesSwiftProtobuf(enumType)
        // An Any inside a repeated message field, itself inside an Any.
        try assertMatchesSwiftProtobuf(try Google_Protobuf_Any(message: type))
    }
}
