import Protobuf
@testable import Render
import Testing
import WireCore

@Suite struct JSONBufferTests {
    /// RFC 8259 §7: quotation mark, reverse solidus and control characters are escaped; other
    /// characters (non-ASCII included) are written as they are.
    @Test func stringsAreEscaped() {
        #expect(JSONObject.quote("plain") == #""plain""#)
        #expect(JSONObject.quote("") == #""""#)
        #expect(JSONObject.quote("a\"b\\c\nd\re\tf\u{01}g\u{1F}") == #""a\"b\\c\nd\re\tf\u0001g\u001f""#)
        #expect(JSONObject.quote("é→😀 \u{7F}") == "\"é→😀 \u{7F}\"")
        #expect(JSONObject.quote("\"") == #""\"""#)
    }

    /// Strings are scanned eight bytes at a time: each byte that needs an escape, and each that
    /// does not (0x20, 0x7F, bytes of 0x80 and more), at every position of texts of every
    /// length up to 40, give what escaping one byte at a time gives.
    @Test func escapesAtEveryPositionOfLongTexts() {
        func reference(_ text: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for byte in text {
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case ..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
                default: out.append(byte)
                }
            }
            return out + [0x22]
        }
        for length in 1...40 {
            for special: UInt8 in [0x00, 0x09, 0x1F, 0x20, 0x21, 0x22, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF] {
                for position in 0..<length {
                    for filler: UInt8 in [0x61, 0xE9] {
                        var text = [UInt8](repeating: filler, count: length)
                        text[position] = special
                        if position + 3 < length { text[position + 3] = 0x22 }
                        var json = JSONBuffer()
                        text.withUnsafeBufferPointer { json.string(utf8: $0) }
                        #expect(json.bytes == reference(text), "length \(length), byte \(special) at \(position)")
                    }
                }
            }
        }
    }

    @Test func integersAtTheirLimits() {
        for value in [0, 7, -7, 10, 1_000_000, Int64.max, Int64.min, -1] {
            var json = JSONBuffer()
            json.int(value)
            #expect(json.text == String(value))
        }
        var json = JSONBuffer()
        json.int(UInt64.max)
        #expect(json.text == "18446744073709551615")
    }

    /// RFC 4648 §10 test vectors.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64Vectors(_ text: String, _ encoded: String) {
        #expect(Base64.encode(Array(text.utf8)) == encoded)
        var json = JSONBuffer()
        json.base64(Array(text.utf8))
        #expect(json.text == "\"\(encoded)\"")
    }

    /// RFC 4648 §10 base16 vectors (lowercase here), a separator, and every byte value.
    @Test func hexDigits() {
        for (text, hex) in [("", ""), ("f", "66"), ("fo", "666F"), ("foo", "666F6F"), ("foobar", "666F6F626172")] {
            #expect(Hex.string(Array(text.utf8)) == hex.lowercased())
        }
        #expect(Hex.string([0x00, 0xAB, 0xFF], separator: " ") == "00 ab ff")
        #expect(Hex.string([0x0F], separator: ", ") == "0f")
        #expect(Hex.string([UInt8](), separator: ":") == "")
        for byte in UInt8.min...UInt8.max {
            let expected = (byte < 16 ? "0" : "") + String(byte, radix: 16)
            #expect(Hex.byte(byte) == expected)
            #expect(Hex.string([byte, byte], separator: "-") == expected + "-" + expected)
        }
    }

    @Test func base64OfEveryByteRoundTrips() throws {
        let bytes = (0...255).map(UInt8.init) + [0xFF, 0xFE]
        #expect(try Base64.decode(Base64.encode(bytes)).get() == bytes)
    }

    /// JSON's base64 is encoded 3,072 bytes at a time: lengths around those pieces read back whole.
    @Test(arguments: [3071, 3072, 3073, 6144, 6145, 10_000])
    func base64OfLongBytesInPieces(_ count: Int) throws {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) }
        var json = JSONBuffer()
        json.base64(bytes[1...])
        let text = json.text
        #expect(text.first == "\"" && text.last == "\"" && text.count == (count - 1 + 2) / 3 * 4 + 2)
        #expect(try Base64.decode(String(text.dropFirst().dropLast())).get() == Array(bytes[1...]))
    }

    @Test func objectsNestInPlace() {
        var inner = JSONObject()
        inner.add("n", 1)
        var object = JSONObject()
        object.add("s", "x")
        object.add("list", ["a", "b\""])
        object.add("inner", inner)
        object.add("empty", JSONObject())
        object.add("raw", raw: ["1", "true"])
        object.add("json", json: "null")
        object.add("written") { $0.array([1, 2]) { $0.int($1) } }
        #expect(object.text == #"{"s":"x","list":["a","b\""],"inner":{"n":1},"empty":{},"raw":[1,true],"json":null,"written":[1,2]}"#)
        #expect(JSONObject().text == "{}")
    }

    /// proto3 JSON of a nested value, written in place.
    @Test func protoValuesAsJSON() {
        let value = ProtoValue.object([
            ProtoMember(name: "user_id", value: .int64(-(1 << 60))),
            ProtoMember(name: "tags", value: .list([.string("a"), .string("b")])),
            ProtoMember(name: "labels", value: .map([ProtoMapEntry(key: "k", value: .uint(3))])),
            ProtoMember(name: "blob", value: .bytes([0xFB, 0xFF])),
            ProtoMember(name: "kind", value: .enumValue(name: nil, number: 9)),
            ProtoMember(name: "child", value: .object([ProtoMember(name: "ok", value: .bool(true))])),
        ])
        #expect(ProtoJSON.encode(value) == #"{"userId":"-1152921504606846976","tags":["a","b"],"labels":{"k":3},"blob":"+/8=","kind":9,"child":{"ok":true}}"#)
        #expect(ProtoJSON.encode(value, preserveNames: true).hasPrefix(#"{"user_id":"#))
    }
}
