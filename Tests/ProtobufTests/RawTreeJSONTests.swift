import Foundation
import Protobuf
import Testing

/// The raw field tree as JSON (docs/grpc-calls.md, `raw_tree`), written in place.
@Suite struct RawTreeJSONTests {
    /// 1: 150, 2: bytes ff 00 80, 3: {1: "hi"}, 4: 1.0 (fixed32), then a varint key with no value.
    let message: [UInt8] = [0x08, 0x96, 0x01, 0x12, 0x03, 0xFF, 0x00, 0x80, 0x1A, 0x04, 0x0A, 0x02, 0x68, 0x69,
                            0x25, 0x00, 0x00, 0x80, 0x3F, 0x28]

    @Test func everyKindOfFieldIsWritten() throws {
        let text = ProtoJSON.rawTree(RawDecoder.decode(message))
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let fields = try #require(tree["fields"] as? [[String: Any]])
        #expect(fields.map { $0["field"] as? Int } == [1, 2, 3, 4])
        #expect(fields.map { $0["offset"] as? Int } == [0, 3, 8, 14])
        #expect(fields[0]["varint"] as? Int == 150 && fields[0]["zigzag"] as? Int == 75)
        #expect(fields[1]["bytes_hex"] as? String == "ff0080")
        let inner = try #require((fields[2]["message"] as? [String: Any])?["fields"] as? [[String: Any]])
        #expect(inner.count == 1 && inner[0]["text"] as? String == "hi")
        #expect(fields[3]["float"] as? Double == 1.0 && fields[3]["fixed32"] as? Int == 0x3F80_0000)
        #expect(tree["undecoded_offset"] as? Int == 19 && tree["undecoded_length"] as? Int == 1)
        #expect((tree["problems"] as? [String])?.count == 1)
        #expect(text.hasPrefix(#"{"fields":[{"field":1,"wire_type":"varint","offset":0,"length":3,"varint":150,"zigzag":75},"#))
    }

    /// A large bytes field is written as hex digits, two per byte, in one pass.
    @Test func aLargeBlobIsHex() throws {
        let blob = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 | 0x80) }
        let length = blob.count
        let header: [UInt8] = [0x12, UInt8(length & 0x7F | 0x80), UInt8(length >> 7 & 0x7F | 0x80), UInt8(length >> 14)]
        let text = ProtoJSON.rawTree(RawDecoder.decode(header + blob))
        let expected = blob.map { String(format: "%02x", $0) }.joined()
        #expect(text.contains(#""bytes_hex":""# + expected + #"""#))
    }
}
