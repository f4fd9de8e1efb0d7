import Foundation
import Protobuf
import Schema
import SwiftProtobuf
import XCTest

/// Bytes that are not what the schema says: nothing is dropped, nothing crashes.
final class HostileInputTests: XCTestCase {
    static let pool = try! Fixtures.pool("scalars.protoset").merging(Fixtures.wktPool)
    let decoder = SchemaDecoder(pool: HostileInputTests.pool)

    func testUnknownFieldsAreKeptRawAndCounted() throws {
        // f_int32 = 1, field 7777 varint 5, field 999 LEN "hi", field 7777 again.
        let bytes: [UInt8] = [0x18, 0x01, 0x88, 0xE6, 0x03, 0x05, 0xBA, 0x3E, 0x02, 0x68, 0x69, 0x88, 0xE6, 0x03, 0x06]
        let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars", baseOffset: 1000))
        XCTAssertTrue(decoded.isClean, "unknown fields are not malformed: \(decoded.problems)")
        XCTAssertEqual(decoded.unknownFields, 3)
        guard case let .object(members) = decoded.value else { return XCTFail() }
        XCTAssertEqual(members.map(\.name), ["f_int32", "7777", "999"])
        XCTAssertEqual(members[1].jsonName, "7777")
        guard case let .list(items) = members[1].value, items.count == 2, case let .unknown(raw, note) = items[0] else { return XCTFail("\(members[1].value)") }
        XCTAssertEqual(raw.number, 7777)
        XCTAssertEqual(raw.span.start, 1002)
        XCTAssertEqual(note, "field 7777 not in grpcdump.test.Scalars")
        guard case let .unknown(text, _) = members[2].value, case .lengthDelimited = text.value else { return XCTFail() }
    }

    func testWrongWireTypeIsAContradiction() throws {
        // f_string (14) sent as varint; f_int32 (3) sent as fixed32; f_double as LEN.
        let bytes: [UInt8] = [0x70, 0x01, 0x1D, 1, 2, 3, 4, 0x0A, 0x01, 0x00, 0x18, 0x05]
        let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertEqual(decoded.contradictions, 3)
        XCTAssertFalse(decoded.isClean)
        XCTAssertTrue(decoded.problems.isEmpty)
        guard case let .object(members) = decoded.value else { return XCTFail() }
        XCTAssertEqual(members.map(\.name), ["f_string", "f_int32", "f_double", "f_int32"])
        guard case let .unknown(raw, note) = members[0].value else { return XCTFail() }
        XCTAssertEqual(raw.number, 14)
        XCTAssertEqual(note, "wire type varint does not fit string field f_string")
        guard case .int(5) = members[3].value else { return XCTFail() }
    }

    func testInvalidUTF8StringIsKeptRaw() throws {
        let bytes: [UInt8] = [0x72, 0x02, 0xC3, 0x28]
        let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars"))
        guard case let .unknown(_, note)? = member(decoded.value, "f_string") else { return XCTFail("\(decoded.value)") }
        XCTAssertTrue(note?.contains("UTF-8") == true)
    }

    func testTruncatedMessagesKeepWhatCameBefore() throws {
        var message = Google_Protobuf_FileDescriptorProto()
        message.name = "truncated.proto"
        message.package = "some.package"
        message.dependency = ["a.proto", "b.proto"]
        let full: [UInt8] = try message.serializedBytes()
        for cut in 1..<full.count {
            let decoded = try XCTUnwrap(decoder.decode(full[..<cut], as: "google.protobuf.FileDescriptorProto", baseOffset: 50))
            guard case let .object(members) = decoded.value else { return XCTFail() }
            if decoded.problems.isEmpty {
                XCTAssertNotEqual(members.last?.name, "!")
                continue
            }
            XCTAssertEqual(decoded.problems.count, 1, "\(decoded.problems)")
            XCTAssertEqual(members.last?.name, "!")
            XCTAssertEqual(members.last?.jsonName, "@error")
            XCTAssertTrue(["(at byte 50)", "(at byte 67)", "(at byte 81)", "(at byte 90)"].contains { decoded.problems[0].message.hasSuffix($0) }, decoded.problems[0].message)
            XCTAssertTrue([50, 67, 81, 90].contains(decoded.problems[0].span?.start ?? -1), "the span starts where the message says")
        }
        // Cut inside the package: the name is kept, the error points at the package field (offset 50 + 17).
        let decoded = try XCTUnwrap(decoder.decode(full[..<20], as: "google.protobuf.FileDescriptorProto", baseOffset: 50))
        guard case .string("truncated.proto")? = member(decoded.value, "name") else { return XCTFail("\(decoded.value)") }
        XCTAssertEqual(decoded.problems.map(\.message), ["field 2: length 12 runs past the end (1 bytes left) (at byte 67)"])
        XCTAssertEqual(decoded.problems.map(\.code), ["schema.wire.malformed"])
    }

    func testTruncatedNestedMessageIsContained() throws {
        // child (17) of length 3 holding a varint cut short, then f_int32 = 4 after it.
        let bytes: [UInt8] = [0x8A, 0x01, 0x02, 0x18, 0x80, 0x18, 0x04]
        let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertEqual(decoded.problems.count, 1)
        XCTAssertTrue(decoded.problems[0].message.hasSuffix("(at byte 3)"), decoded.problems[0].message)
        guard let child = member(decoded.value, "child"), case .string? = member(child, "!") else { return XCTFail("\(decoded.value)") }
        guard case .int(4)? = member(decoded.value, "f_int32") else { return XCTFail("\(decoded.value)") }
    }

    func testDeepNestingStopsAtTheLimit() throws {
        // child { child { … } } 150 deep, built inside out.
        var bytes: [UInt8] = [0x18, 0x01]
        for _ in 0..<150 {
            bytes = [0x8A, 0x01] + varint(UInt64(bytes.count)) + bytes
        }
        let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars"))
        XCTAssertEqual(decoded.problems.count, 1, "\(decoded.problems)")
        XCTAssertTrue(decoded.problems[0].message.contains("deeper than 100"))
        XCTAssertEqual(decoded.problems[0].code, "schema.depth-limit")
        // Groups nested deeply: start tags only.
        let groups: [UInt8] = Array((0..<5000).map { _ in [UInt8(0xF3), 0x01] }.joined())
        let grouped = try XCTUnwrap(decoder.decode(groups[...], as: "grpcdump.test.Scalars"))
        XCTAssertFalse(grouped.problems.isEmpty)
        // Unknown groups nested deeply.
        let unknownGroups = [UInt8](repeating: 0x0B, count: 100_000)
        let unknown = try XCTUnwrap(decoder.decode(unknownGroups[...], as: "google.protobuf.Empty"))
        XCTAssertFalse(unknown.problems.isEmpty)
    }

    func testGroupErrors() throws {
        // Inner group (30) without an end tag; an end tag without a start.
        for bytes: [UInt8] in [[0xF3, 0x01, 0xF8, 0x01, 0x01], [0xF4, 0x01], [0xF3, 0x01, 0x8C, 0x02]] {
            let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "grpcdump.test.Scalars"))
            XCTAssertEqual(decoded.problems.count, 1, "\(bytes): \(decoded.problems)")
        }
    }

    func testWrongSchemaIsReported() throws {
        let timestamp: [UInt8] = try Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 5).serializedBytes()
        let asFile = try XCTUnwrap(decoder.decode(timestamp[...], as: "google.protobuf.FileDescriptorProto"))
        XCTAssertFalse(asFile.isClean, "varints where FileDescriptorProto has strings")
        XCTAssertEqual(asFile.contradictions, 2)
    }

    func testRandomBytesNeverCrash() throws {
        var generator = SplitMix64(seed: 0x5EED)
        let types = ["grpcdump.test.Scalars", "google.protobuf.FileDescriptorProto", "google.protobuf.Any", "google.protobuf.Struct",
                     "google.protobuf.Value", "google.protobuf.Timestamp", "google.protobuf.FileDescriptorSet"]
        var clean = 0
        for round in 0..<6000 {
            let count = Int(generator.next() % 64)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round % 3 == 0, let valid = try? Google_Protobuf_Any(message: Google_Protobuf_Duration(seconds: 3, nanos: 0)).serializedBytes() as [UInt8] {
                // Mutations of a valid message: flip a byte.
                bytes = valid
                bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            }
            let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: types[round % types.count], baseOffset: round))
            if decoded.isClean { clean += 1 }
            _ = JSON(decoded.value).description
            _ = ProtoValueText.lines(decoded.value)
        }
        XCTAssertGreaterThan(clean, 0)
    }

    func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }
}

/// A small seeded generator, so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension HostileInputTests {
    /// Truncations and byte flips of a large real message (the descriptor.proto protoset).
    func testMutationsOfARealMessageNeverCrash() throws {
        let original = try Fixtures.bytes("wkt.protoset")
        let clean = try XCTUnwrap(decoder.decode(original[...], as: "google.protobuf.FileDescriptorSet"))
        XCTAssertTrue(clean.isClean)
        var generator = SplitMix64(seed: 42)
        var problems = 0, contradictions = 0
        for round in 0..<400 {
            var bytes = original
            switch round % 3 {
            case 0:
                bytes = Array(bytes[..<Int(generator.next() % UInt64(bytes.count))])
            case 1:
                for _ in 0..<4 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            default:
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: at)
            }
            let decoded = try XCTUnwrap(decoder.decode(bytes[...], as: "google.protobuf.FileDescriptorSet", baseOffset: 7))
            if !decoded.problems.isEmpty { problems += 1 }
            contradictions += decoded.contradictions
            for problem in decoded.problems {
                XCTAssertTrue(problem.message.contains("at byte") && problem.span != nil && problem.code.hasPrefix("schema."), problem.message)
            }
        }
        XCTAssertGreaterThan(problems, 100)
        XCTAssertGreaterThan(contradictions, 0)
    }
}
