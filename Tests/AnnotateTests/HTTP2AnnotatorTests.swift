@testable import Annotate
import Testing

/// RFC 9113 §6.2, §6.10: a header block cut into a HEADERS frame and two CONTINUATION frames is
/// decoded with its last fragment, each field labelled at its own bytes.
@Test func headerBlockAcrossContinuationFrames() {
    func frame(_ type: UInt8, _ flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0, 0, UInt8(payload.count), type, flags, 0, 0, 0, 1] + payload
    }
    let bytes = frame(0x1, 0x1, [0x82, 0x86]) + frame(0x9, 0x0, [0x84])
        + frame(0x9, 0x4, [0x41, 0x03] + Array("a:b".utf8) + [0xBE])
    let texts = HTTP2Annotator(schema: nil).annotate(bytes).map(\.text)
    #expect(texts.contains("header block fragment, 2 bytes (decoded with the last CONTINUATION)"))
    #expect(texts.contains("header block fragment, 1 byte (decoded with the last CONTINUATION)"))
    #expect(texts.contains { $0.hasPrefix(":authority: a:b  [literal with incremental indexing") })
    #expect(texts.contains { $0.hasPrefix(":authority: a:b  [indexed, dynamic 62]") })
    // The fields of the last fragment are placed at their own bytes.
    let ranges = HTTP2Annotator(schema: nil).annotate(bytes)
    #expect(ranges.first { $0.text.hasPrefix(":authority: a:b  [indexed") }?.offset == 0x23)
}
