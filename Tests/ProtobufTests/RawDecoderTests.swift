import Foundation
import Protobuf
import Testing
import TestSupport
import WireCore

func fixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
}

/// A compact description of a field tree for comparisons: `1:v101`, `7:i32 107`, `14:"115"`, `18:{1:v118}`, `16:g{17:v117}`.
func describe(_ fields: [RawField]) -> [String] {
    fields.map { field in
        switch field.value {
        case let .varint(value): return "\(field.number):v\(value)"
        case let .fixed32(value): return "\(field.number):i32 \(value)"
        case let .fixed64(value): return "\(field.number):i64 \(value)"
        case let .group(inner): return "\(field.number):g{" + describe(inner).joined(separator: " ") + "}"
        case let .lengthDelimited(content):
            switch content.interpretation {
            case let .message(inner): return "\(field.number):{" + describe(inner.fields).joined(separator: " ") + "}"
            case let .text(text): return "\(field.number):\"\(text)\""
            case let .packedVarints(values): return "\(field.number):[" + values.map(String.init).joined(separator: ",") + "]"
            case let .packedFixed32(values): return "\(field.number):f32[" + values.map { "\(Float(bitPattern: $0))" }.joined(separator: ",") + "]"
            case let .packedFixed64(values): return "\(field.number):f64[" + values.map { "\(Double(bitPattern: $0))" }.joined(separator: ",") + "]"
            case .bytes: return "\(field.number):0x" + content.bytes.map { String(format: "%02x", $0) }.joined()
            }
        }
    }
}

/// protoscope's corpus: the expectations below were written from protoscope's own renderings
/// (`*.pb.golden`), field by field.
@Suite struct ProtoscopeCorpusTests {
    @Test func message() throws {
        let decoded = RawDecoder.decode(try fixture("message.pb"))
        #expect(decoded.isClean)
        let fields = describe(decoded.fields)
        // message.pb.golden: 1: 101 … 6: 212, 7: 107i32, 8: 108i64, 9: 109i32, 10: 110i64,
        // 11: 111.0i32, 12: 112.0 (i64), 13: 1, 14: {"115"}, 15: {"116"}, 16: !{17: 117}, 18: {1: 118}.
        #expect(Array(fields.prefix(18)) == [
            "1:v101", "2:v102", "3:v103", "4:v104", "5:v210", "6:v212", "7:i32 107", "8:i64 108", "9:i32 109", "10:i64 110",
            "11:i32 \(Float(111).bitPattern)", "12:i64 \(Double(112).bitPattern)", "13:v1", "14:\"115\"", "15:\"116\"",
            "16:g{17:v117}", "18:{1:v118}", "19:{1:v119}",
        ])
        #expect(fields.filter { $0.hasPrefix("31:") } == ["31:v201", "31:v301"])
    }

    @Test func packed() throws {
        let decoded = RawDecoder.decode(try fixture("packed.pb"))
        let fields = describe(decoded.fields)
        // packed.pb.golden: 90: {`d904bd05`} is 601, 701 as varints; 102: {`0100`} is true, false.
        #expect(fields.contains("90:[601,701]"))
        #expect(fields.contains("91:[602,702]"))
        #expect(fields.contains("102:[1,0]"))
        // 100: {`00c0184400c03144`} packed floats 611, 711; 101: packed doubles 612, 712.
        #expect(fields.contains("100:f32[611.0,711.0]"))
        #expect(fields.contains("101:f64[612.0,712.0]"))
        #expect(decoded.fields.map(\.number).filter { $0 >= 90 } == Array(90...103))
    }

    @Test func groupsDecodeUntilTheFirstMalformedTag() throws {
        let bytes = try fixture("groups.pb")
        let decoded = RawDecoder.decode(bytes)
        // groups.pb.golden: 1: !{1: 101, 2: 202i32, 3: {12: 7.2232605e28i32}}, then 2:SGROUP 3:EGROUP,
        // an end tag that closes no open group: decoding stops there, the rest is kept as undecoded.
        // Field 3's bytes are "eieio": printable text wins over protoscope's message reading, which
        // is kept as an alternative.
        #expect(describe(Array(decoded.fields.prefix(1))) == ["1:g{1:v101 2:i32 202 3:\"eieio\"}"])
        if case let .group(inner) = decoded.fields[0].value, case let .lengthDelimited(content) = inner[2].value {
            #expect(content.alternatives == ["message"])
        } else {
            Issue.record("field 1 is not a group with a LEN field 3")
        }
        #expect(decoded.problems.map(\.code) == ["pb.group.mismatch"])
        #expect(decoded.undecoded?.end == bytes.count)
    }

    @Test(arguments: ["message.pb", "groups.pb", "packed.pb", "proto3.pb", "oneof.pb", "maps.pb", "packed-big.pb"])
    func everyTruncationKeepsTheFieldsBeforeTheCut(name: String) throws {
        let bytes = try fixture(name)
        let wholeFields = RawDecoder.decode(bytes).fields
        let whole = describe(wholeFields)
        // Every byte of the small files; around every top-level field boundary and every 31st byte of big ones.
        let cuts = bytes.count <= 1024 ? Array(0..<bytes.count)
            : Array(Set(stride(from: 0, to: bytes.count, by: 31)).union(wholeFields.flatMap { [$0.span.end - 1, $0.span.end] })).sorted()
        for cut in cuts {
            let decoded = RawDecoder.decode(Array(bytes[..<cut]))
            // Top-level fields that ended before the cut are decoded as in the whole message.
            let complete = wholeFields.filter { $0.span.end <= cut }.count
            #expect(Array(describe(decoded.fields).prefix(complete)) == Array(whole.prefix(complete)), "\(name) cut at \(cut)")
            if let undecoded = decoded.undecoded { #expect(undecoded.end == cut && undecoded.start <= cut) }
        }
    }

    @Test func mapsAndOneofsDecode() throws {
        for name in ["maps.pb", "oneof.pb", "proto3.pb", "packed-big.pb"] {
            let decoded = RawDecoder.decode(try fixture(name))
            #expect(!decoded.fields.isEmpty, "\(name)")
            #expect(decoded.isClean, "\(name): \(decoded.problems)")
        }
    }
}

@Suite struct RawDecoderTests {
    @Test func handBuiltVectors() {
        let bytes: [UInt8] = [
            0x08, 0x96, 0x01,                          // 1: varint 150
            0x10, 0x03,                                // 2: varint 3 (sint -2)
            0x18, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,  // 3: int32 -2 as 10 bytes
            0x22, 0x05, 0x68, 0x65, 0x6C, 0x6C, 0x6F,  // 4: "hello"
            0x2A, 0x04, 0x0A, 0x02, 0x08, 0x01,        // 5: {1: {1: 1}}
            0x32, 0x00,                                // 6: "" (empty)
            0x3D, 0x00, 0x00, 0x80, 0x3F,              // 7: fixed32 1.0f
        ]
        let decoded = RawDecoder.decode(bytes, baseOffset: 100)
        #expect(decoded.isClean)
        #expect(describe(decoded.fields) == ["1:v150", "2:v3", "3:v18446744073709551614", "4:\"hello\"", "5:{1:{1:v1}}", "6:\"\"",
                                             "7:i32 \(Float(1).bitPattern)"])
        #expect(decoded.fields[0].span == ByteSpan(start: 100, count: 3))
        #expect(decoded.fields[3].lengthSpan == ByteSpan(start: 117, count: 1))
        #expect(UInt64(3).zigZagDecoded == -2)
        let text = RawTreeText.lines(decoded)
        #expect(text[0] == "1: 150  varint (sint 75)  @100..<103")
        #expect(text[2] == "3: 18446744073709551614  varint (int64 -2, sint 9223372036854775807)  @105..<116")
        #expect(text[3] == "4: \"hello\"  len 5  @116..<123")
        #expect(text[5] == "  1: message  len 2  @125..<129")
    }

    @Test(arguments: [
        ([0x08], "pb.varint.invalid"),
        ([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "pb.varint.invalid"),  // 11 bytes
        ([0x0F, 0x01], "pb.wire-type.invalid"),   // field 1, wire type 7
        ([0x0E], "pb.wire-type.invalid"),         // wire type 6
        ([0x12, 0x05, 0x61], "pb.length.past-end"),
        ([0x00, 0x01], "pb.field-number.invalid"),
        ([0x0B, 0x08, 0x01], "pb.group.unterminated"),
        ([0x0C], "pb.group.mismatch"),
        ([0x09, 0x01, 0x02], "pb.i64.short"),
    ] as [([UInt8], String)])
    func malformedInputIsDiagnosed(bytes: [UInt8], code: String) {
        let decoded = RawDecoder.decode(bytes)
        #expect(decoded.problems.map(\.code) == [code])
        #expect(decoded.undecoded != nil)
    }

    @Test func fieldsBeforeAnErrorAreKept() {
        let decoded = RawDecoder.decode([0x08, 0x01, 0x10, 0x02, 0x1F])
        #expect(describe(decoded.fields) == ["1:v1", "2:v2"])
        #expect(decoded.undecoded == ByteSpan(start: 4, count: 1))
    }

    @Test func depthLimit() {
        // 100 groups nested inside each other.
        let bytes = [UInt8](repeating: 0x0B, count: 100) + [UInt8](repeating: 0x0C, count: 100)
        let decoded = RawDecoder.decode(bytes)
        #expect(decoded.problems.contains { $0.code == "pb.depth-limit" })
        // Messages nested in LEN fields past the limit are shown as bytes, without an error.
        var nested: [UInt8] = [0x08, 0x01]
        for _ in 0..<10 { nested = [0x0A, UInt8(nested.count)] + nested }
        var options = RawDecoder.Options()
        options.depthLimit = 4
        let limited = RawDecoder.decode(nested, options: options)
        #expect(limited.isClean)
        // Four levels of messages, then the remaining bytes read as packed varints, not as a message.
        #expect(describe(limited.fields).first?.hasPrefix("1:{1:{1:{1:{1:[10,10,") == true, "\(describe(limited.fields))")
        #expect(describe(RawDecoder.decode(nested).fields) == ["1:" + String(repeating: "{1:", count: 9) + "{1:v1" + String(repeating: "}", count: 10)])
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<64, using: &random)
            let decoded = RawDecoder.decode(random.bytes(count))
            _ = RawTreeText.lines(decoded)
        }
    }
}

@Suite struct LengthDelimitedChoiceTests {
    @Test func textWithALineBreakThatParsesAsAMessageIsAMessage() {
        // ServiceResponse{name: …} in a LEN field, as server reflection sends it: 0a 23 "grpc…" is
        // printable text but for the 0x0a (and 0x23 is '#').
        let name = "grpc.reflection.v1.ServerReflection"
        let inner: [UInt8] = [0x0A, UInt8(name.utf8.count)] + Array(name.utf8)
        let decoded = RawDecoder.decode([0x0A, UInt8(inner.count)] + inner)
        #expect(describe(decoded.fields) == ["1:{1:\"\(name)\"}"])
        if case let .lengthDelimited(content) = decoded.fields[0].value { #expect(content.alternatives == ["text"]) }
        // Plain text with a line break that is not a message stays text.
        let line = Array("hi\nthere".utf8)
        #expect(describe(RawDecoder.decode([0x12, UInt8(line.count)] + line).fields) == ["2:\"hi\nthere\""])
    }
}
