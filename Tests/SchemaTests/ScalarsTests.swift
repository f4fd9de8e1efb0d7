import Foundation
import Protobuf
import Schema
import XCTest

/// The types SwiftProtobuf's runtime messages do not exercise, from `scalars.proto` and bytes made
/// by `protoc --encode` (see Fixtures/README.md), checked field by field.
final class ScalarsTests: XCTestCase {
    static let pool = try! Fixtures.pool("scalars.protoset")

    func decoded(_ fixture: String) throws -> SchemaDecoded {
        let bytes = try Fixtures.bytes(fixture)
        return try XCTUnwrap(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: "grpcdump.test.Scalars"))
    }

    func testScalarTypes() throws {
        let decoded = try decoded("scalars.bin")
        XCTAssertTrue(decoded.isClean, "\(decoded.problems)")
        XCTAssertEqual(decoded.unknownFields, 0)
        let value = decoded.value
        guard case .double(-2.5)? = member(value, "f_double") else { return XCTFail("\(String(describing: member(value, "f_double")))") }
        guard case .float(0.1)? = member(value, "f_float") else { return XCTFail() }
        guard case .int(-7)? = member(value, "f_int32") else { return XCTFail() }
        guard case .int64(-9_000_000_000)? = member(value, "f_int64") else { return XCTFail() }
        guard case .uint(4_000_000_000)? = member(value, "f_uint32") else { return XCTFail() }
        guard case .uint64(18_000_000_000_000_000_000)? = member(value, "f_uint64") else { return XCTFail() }
        guard case .int(-300)? = member(value, "f_sint32") else { return XCTFail() }
        guard case .int64(-5_000_000_000)? = member(value, "f_sint64") else { return XCTFail() }
        guard case .uint(3_000_000_000)? = member(value, "f_fixed32") else { return XCTFail() }
        guard case .uint64(17_000_000_000_000_000_000)? = member(value, "f_fixed64") else { return XCTFail() }
        guard case .int(-12345)? = member(value, "f_sfixed32") else { return XCTFail() }
        guard case .int64(-6_000_000_000)? = member(value, "f_sfixed64") else { return XCTFail() }
        guard case .bool(true)? = member(value, "f_bool") else { return XCTFail() }
        guard case .string("héllo")? = member(value, "fString") else { return XCTFail() }
        guard case .bytes([0, 1, 0xFE, 0xFF])? = member(value, "f_bytes") else { return XCTFail() }
        guard case .enumValue("GREEN", 2)? = member(value, "f_color") else { return XCTFail() }
        guard let child = member(value, "child"), case .int(1)? = member(child, "f_int32"),
              let grandchild = member(child, "child"), case .string("deep")? = member(grandchild, "f_string") else { return XCTFail() }
        guard case .int(99)? = member(value, "choice_number") else { return XCTFail() }
        XCTAssertNil(member(value, "with_default"), "absent fields stay absent")
        guard case let .object(members) = value else { return XCTFail() }
        let named = try XCTUnwrap(members.first { $0.name == "json_named" })
        XCTAssertEqual(named.jsonName, "customJson")
        guard case .string("custom") = named.value else { return XCTFail() }
        let ext = try XCTUnwrap(members.first { $0.name == "[grpcdump.test.ext_note]" })
        guard case .string("extended") = ext.value else { return XCTFail("\(ext.value)") }
        // Members in wire order (protoc writes by field number, extensions last).
        XCTAssertEqual(members.first?.name, "f_double")
        XCTAssertEqual(members.last?.name, "[grpcdump.test.ext_note]")
    }

    func testRepeatedAndGroups() throws {
        let value = try decoded("scalars.bin").value
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_int32"))).description, "[1.0, -2.0, 300.0]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "unpacked_int32"))).description, "[4.0, -5.0]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_sint64"))).description, "[\"-1\", \"1\", \"-1000000\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_float"))).description, "[1.5f, -0.25f]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "unpacked_fixed64"))).description, "[\"1\", \"18446744073709551615\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_color"))).description, "[\"RED\", \"GREEN\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "names"))).description, "[\"a\", \"b\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "inner"))).description, "{\"a\": 9.0, \"b\": \"in group\"}")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "item"))).description, "[{\"id\": 1.0}, {\"id\": 2.0}]")
    }

    func testMaps() throws {
        let value = try decoded("scalars.bin").value
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "by_int"))).description, "{\"-1\": \"minus one\", \"7\": \"seven\"}")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "by_bool"))).description, "{\"false\": \"4\", \"true\": \"-3\"}")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "by_name"))).description, "{\"x\": {\"fInt32\": 5.0}}")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "by_uint64"))).description, "{\"18446744073709551615\": \"RED\"}")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "by_sint"))).description, "{\"-2\": 0.5}")
        guard case let .map(entries)? = member(value, "by_int") else { return XCTFail() }
        XCTAssertEqual(entries.map(\.key), ["-1", "7"], "wire order")
    }

    func testPackingOppositeToDeclarationIsAccepted() throws {
        let decoded = try decoded("flipped.bin")
        XCTAssertTrue(decoded.isClean, "\(decoded.problems)")
        XCTAssertEqual(decoded.contradictions, 0)
        let value = decoded.value
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_int32"))).description, "[1.0, -2.0, 300.0]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "unpacked_int32"))).description, "[4.0, -5.0]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_sint64"))).description, "[\"-1\", \"1\", \"-1000000\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_float"))).description, "[1.5f, -0.25f]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "unpacked_fixed64"))).description, "[\"1\", \"18446744073709551615\"]")
        XCTAssertEqual(JSON(try XCTUnwrap(member(value, "packed_color"))).description, "[\"RED\", \"GREEN\"]")
    }

    func testSchemaDetails() throws {
        let schema = try XCTUnwrap(Self.pool.message(named: "grpcdump.test.Scalars"))
        XCTAssertEqual(schema.syntax, "proto2")
        XCTAssertTrue(try XCTUnwrap(schema.field(number: 20)).isPacked)
        XCTAssertFalse(try XCTUnwrap(schema.field(number: 21)).isPacked)
        XCTAssertTrue(try XCTUnwrap(schema.field(number: 40)).isMap)
        XCTAssertFalse(try XCTUnwrap(schema.field(number: 26)).isMap)
        XCTAssertEqual(schema.field(number: 30)?.type, .group)
        XCTAssertEqual(schema.field(number: 51)?.oneofName, "choice")
        XCTAssertEqual(schema.field(number: 60)?.defaultValue, "42")
        XCTAssertEqual(schema.field(named: "customJson")?.number, 61)
        XCTAssertEqual(Self.pool.enumType(named: ".grpcdump.test.Color")?.name(of: 2), "GREEN")
        XCTAssertEqual(Self.pool.serviceNames, ["grpcdump.test.Echo"])
        let say = try XCTUnwrap(Self.pool.method(path: "/grpcdump.test.Echo/Say"))
        XCTAssertEqual(say.inputType, "grpcdump.test.Scalars")
        XCTAssertFalse(say.clientStreaming)
        XCTAssertTrue(say.serverStreaming)
        let collect = try XCTUnwrap(Self.pool.method(path: "/grpcdump.test.Echo/Collect"))
        XCTAssertEqual(collect.outputType, "grpcdump.test.Scalars.Inner")
        XCTAssertTrue(collect.clientStreaming)
        XCTAssertTrue(Self.pool.problems.isEmpty, "\(Self.pool.problems)")
    }

    func testMapEntryDefaultsWhenKeyOrValueMissing() throws {
        // by_int (40) entries: one with no key, one with no value.
        let bytes: [UInt8] = [0xC2, 0x02, 0x03, 0x12, 0x01, 0x41, 0xC2, 0x02, 0x02, 0x08, 0x05]
        let decoded = try XCTUnwrap(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertTrue(decoded.isClean)
        XCTAssertEqual(JSON(try XCTUnwrap(member(decoded.value, "by_int"))).description, "{\"0\": \"A\", \"5\": \"\"}")
    }

    func testLastOneWinsAndMessageMerge() throws {
        // f_int32 = 1, child { f_int32: 2 names: "a" }, f_int32 = 3, child { f_string: "s" names: "b" }
        let bytes: [UInt8] = [0x18, 0x01, 0x8A, 0x01, 0x06, 0x18, 0x02, 0xD2, 0x01, 0x01, 0x61,
                              0x18, 0x03, 0x8A, 0x01, 0x07, 0x72, 0x01, 0x73, 0xD2, 0x01, 0x01, 0x62]
        let decoded = try XCTUnwrap(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertTrue(decoded.isClean, "\(decoded.problems)")
        XCTAssertEqual(JSON(decoded.value).description, "{\"child\": {\"fInt32\": 2.0, \"fString\": \"s\", \"names\": [\"a\", \"b\"]}, \"fInt32\": 3.0}")
        guard case let .object(members) = decoded.value else { return XCTFail() }
        XCTAssertEqual(members.map(\.name), ["f_int32", "child"])
    }
}

extension ScalarsTests {
    func testDefaultValuesAndOpenEnums() throws {
        let decoder = SchemaDecoder(pool: Self.pool)
        let schema = try XCTUnwrap(Self.pool.message(named: "grpcdump.test.Scalars"))
        guard case .int(42) = decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "with_default"))) else { return XCTFail() }
        guard case .enumValue("COLOR_UNSPECIFIED", 0) = decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "f_color"))) else { return XCTFail() }
        guard case .string("") = decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "f_string"))) else { return XCTFail() }
        XCTAssertEqual(JSON(decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "by_int")))).description, "{}")
        XCTAssertEqual(JSON(decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "names")))).description, "[]")
        XCTAssertEqual(JSON(decoder.defaultValue(of: try XCTUnwrap(schema.field(named: "child")))).description, "{}")
        // f_color = 7: an enum number the schema does not name stays a number (open enums).
        let decoded = try XCTUnwrap(decoder.decode([0x80, 0x01, 0x07][...], as: "grpcdump.test.Scalars"))
        XCTAssertTrue(decoded.isClean)
        guard case .enumValue(nil, 7)? = member(decoded.value, "f_color") else { return XCTFail("\(decoded.value)") }
    }

    func testOneofMembersAreOrdinaryMembers() throws {
        // choice_text = "t" then choice_number = 5: both are shown, in wire order.
        let bytes: [UInt8] = [0x92, 0x03, 0x01, 0x74, 0x98, 0x03, 0x05]
        let decoded = try XCTUnwrap(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertTrue(decoded.isClean)
        guard case let .object(members) = decoded.value else { return XCTFail() }
        XCTAssertEqual(members.map(\.name), ["choice_text", "choice_number"])
    }

    func testLargeMapAndListStayLinear() throws {
        // 20,000 by_int entries with distinct keys and 200,000 packed int32s.
        var bytes: [UInt8] = []
        func varint(_ value: UInt64) -> [UInt8] {
            var value = value, out: [UInt8] = []
            while value >= 0x80 { out.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
            return out + [UInt8(value)]
        }
        for key in 0..<20_000 {
            let entry = [0x08] + varint(UInt64(key)) + [0x12, 0x01, 0x76]
            bytes += [0xC2, 0x02] + varint(UInt64(entry.count)) + entry
        }
        let packed = (0..<200_000).flatMap { varint(UInt64($0)) }
        bytes += [0xA2, 0x01] + varint(UInt64(packed.count)) + packed
        let start = Date()
        let decoded = try XCTUnwrap(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: "grpcdump.test.Scalars"))
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(decoded.isClean)
        guard case let .map(entries)? = member(decoded.value, "by_int"), case let .list(items)? = member(decoded.value, "packed_int32") else { return XCTFail() }
        XCTAssertEqual(entries.count, 20_000)
        XCTAssertEqual(items.count, 200_000)
        XCTAssertLessThan(elapsed, 10, "debug build: \(elapsed)s for \(bytes.count) bytes")
        print("decoded \(bytes.count) bytes in \(elapsed)s (debug)")
    }
}

/// `DescriptorPool.independentCopy` (one per decoding thread): the same pool, read again.
final class IndependentCopyTests: XCTestCase {
    func testACopyDecodesAsTheOriginalDoes() throws {
        let original = ScalarsTests.pool
        let copy = original.independentCopy()
        XCTAssertEqual(copy.files, original.files)
        XCTAssertEqual(copy.serviceNames, original.serviceNames)
        XCTAssertEqual(copy.problems.map(\.description), original.problems.map(\.description))
        for fixture in ["scalars.bin", "flipped.bin"] {
            let bytes = try Fixtures.bytes(fixture)
            let fromOriginal = try XCTUnwrap(SchemaDecoder(pool: original).decode(bytes[...], as: "grpcdump.test.Scalars"))
            let fromCopy = try XCTUnwrap(SchemaDecoder(pool: copy).decode(bytes[...], as: "grpcdump.test.Scalars"))
            XCTAssertEqual(String(describing: fromCopy.value), String(describing: fromOriginal.value), fixture)
            XCTAssertEqual(fromCopy.problems.map(\.description), fromOriginal.problems.map(\.description), fixture)
        }
        // Without the well-known types added, the copy is built without them too.
        let bare = DescriptorPool(files: original.files, includeWellKnownTypes: false)
        XCTAssertNotNil(copy.message(named: "google.protobuf.Timestamp"))
        XCTAssertNil(bare.message(named: "google.protobuf.Timestamp"))
        XCTAssertNil(bare.independentCopy().message(named: "google.protobuf.Timestamp"))
    }
}
