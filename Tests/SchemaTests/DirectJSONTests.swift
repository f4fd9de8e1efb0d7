import Foundation
import Protobuf
import Schema
import SwiftProtobuf
import XCTest

/// `SchemaDecoder.writeJSON` (straight to JSON for plain messages) against the value tree
/// (`decode` then `ProtoJSON`): the same text and the same findings, on real, hand-made, random and
/// mutated messages.
final class DirectJSONTests: XCTestCase {
    let decoder = SchemaDecoder(pool: HostileInputTests.pool)

    /// Returns the report, after checking that both paths agree.
    @discardableResult
    func assertSame(_ bytes: [UInt8], as type: String, file: StaticString = #filePath, line: UInt = #line) throws -> SchemaDecodeReport {
        var report: SchemaDecodeReport?
        for preserveNames in [false, true] {
            let tree = try XCTUnwrap(decoder.decode(bytes[...], as: type, baseOffset: 3), file: file, line: line)
            var json = JSONBuffer()
            json.raw("[")
            report = try XCTUnwrap(decoder.writeJSON(bytes[...], as: type, baseOffset: 3, preserveNames: preserveNames, into: &json), file: file, line: line)
            XCTAssertEqual(json.text, "[" + ProtoJSON.encode(tree.value, preserveNames: preserveNames), "\(type) \(bytes)", file: file, line: line)
            XCTAssertEqual(report?.problems, tree.problems, file: file, line: line)
            XCTAssertEqual(report?.contradictions, tree.contradictions, file: file, line: line)
            XCTAssertEqual(report?.unknownFields, tree.unknownFields, file: file, line: line)
        }
        return try XCTUnwrap(report)
    }

    func testRealMessagesArePlainAndEqual() throws {
        let protoset = try Fixtures.bytes("wkt.protoset")
        XCTAssertEqual(try assertSame(protoset, as: "google.protobuf.FileDescriptorSet").messagesFromTree, 0)
        let scalars = try Fixtures.bytes("scalars.protoset")
        XCTAssertEqual(try assertSame(scalars, as: "google.protobuf.FileDescriptorSet").messagesFromTree, 0)
        // Well-known types take the tree; the message around them stays plain.
        let any: [UInt8] = try Google_Protobuf_Any(message: Google_Protobuf_Duration(seconds: 3, nanos: 5)).serializedBytes()
        XCTAssertEqual(try assertSame(any, as: "google.protobuf.Any").messagesFromTree, 1)
        // scalars.bin holds a group: that message level takes the tree.
        XCTAssertEqual(try assertSame(try Fixtures.bytes("scalars.bin"), as: "grpcdump.test.Scalars").messagesFromTree, 1)
        var untouched = JSONBuffer()
        XCTAssertNil(decoder.writeJSON([][...], as: "no.such.Type", into: &untouched))
        XCTAssertEqual(untouched.count, 0)
    }

    /// What a plain message may not have: each case is written from the tree, with the same text.
    func testNotPlainFallsBackToTheTree() throws {
        let fileName: [UInt8] = [0x0A, 0x03] + Array("a.b".utf8)  // FileDescriptorProto.name
        let dependency: [UInt8] = [0x1A, 0x01, 0x78]                // FileDescriptorProto.dependency ("x"), repeated
        let package: [UInt8] = [0x12, 0x01, 0x70]                   // FileDescriptorProto.package, singular
        let cases: [(String, [UInt8])] = [
            ("repeated field with another between", dependency + package + dependency),
            ("singular field twice (last one wins)", fileName + [0x0A, 0x01, 0x7A]),
            ("unknown field", fileName + [0xF8, 0x07, 0x01]),
            ("wire type contradicting the schema", [0x08, 0x01]),
            ("string that is not UTF-8", [0x0A, 0x02, 0xC3, 0x28]),
            ("truncated length", fileName + [0x12, 0x05, 0x70]),
            ("group", [0x0B, 0x0C]),
        ]
        for (what, bytes) in cases {
            let report = try assertSame(bytes, as: "google.protobuf.FileDescriptorProto")
            XCTAssertEqual(report.messagesFromTree, 1, what)
        }
        XCTAssertEqual(try assertSame(dependency + dependency + package, as: "google.protobuf.FileDescriptorProto").messagesFromTree, 0)
        // Fields numbered past 64 are remembered apart from the others: FileOptions'
        // uninterpreted_option (999, repeated) and java_package (1) beside php_namespace (41) and ruby_package (45).
        let option: [UInt8] = [0xBA, 0x3E, 0x00], javaPackage: [UInt8] = [0x0A, 0x01, 0x70]
        let phpNamespace: [UInt8] = [0xCA, 0x02, 0x01, 0x71], rubyPackage: [UInt8] = [0xEA, 0x02, 0x01, 0x72]  // 41, 45
        XCTAssertEqual(try assertSame(option + javaPackage + option, as: "google.protobuf.FileOptions").messagesFromTree, 1)
        XCTAssertEqual(try assertSame(option + option + javaPackage, as: "google.protobuf.FileOptions").messagesFromTree, 0)
        XCTAssertEqual(try assertSame(phpNamespace + rubyPackage + phpNamespace, as: "google.protobuf.FileOptions").messagesFromTree, 1)
        XCTAssertEqual(try assertSame(rubyPackage + phpNamespace + option, as: "google.protobuf.FileOptions").messagesFromTree, 0)
    }

    /// Maps, packed and unpacked repeated scalars, enums and nested messages from scalars.proto.
    func testScalarsMapsAndPacking() throws {
        for fixture in ["scalars.bin", "flipped.bin"] {
            let bytes = try Fixtures.bytes(fixture)
            try assertSame(bytes, as: "grpcdump.test.Scalars")
            // Every cut and a flipped byte at every position.
            for cut in 0...bytes.count { try assertSame(Array(bytes[..<cut]), as: "grpcdump.test.Scalars") }
            for index in bytes.indices {
                var flipped = bytes
                flipped[index] ^= 0x5A
                try assertSame(flipped, as: "grpcdump.test.Scalars")
            }
        }
    }

    func testRandomAndMutatedInputs() throws {
        var generator = SplitMix64(seed: 0xD1EC7)
        let types = ["grpcdump.test.Scalars", "google.protobuf.FileDescriptorProto", "google.protobuf.Any", "google.protobuf.Struct",
                     "google.protobuf.Value", "google.protobuf.Timestamp", "google.protobuf.FileDescriptorSet"]
        for round in 0..<3000 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            try assertSame(bytes, as: types[round % types.count])
        }
        let original = try Fixtures.bytes("wkt.protoset")
        for round in 0..<200 {
            var bytes = original
            switch round % 3 {
            case 0: bytes = Array(bytes[..<Int(generator.next() % UInt64(bytes.count))])
            case 1: for _ in 0..<4 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            default:
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: at)
            }
            try assertSame(bytes, as: "google.protobuf.FileDescriptorSet")
        }
    }
}
