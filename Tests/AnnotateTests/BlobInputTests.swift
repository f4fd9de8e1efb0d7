@testable import Annotate
import Testing

/// The text forms a blob may be pasted in, each read back to the same bytes.
@Suite struct BlobInputTests {
    static let bytes: [UInt8] = [0x0A, 0x05, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x10, 0x96, 0x01]

    static func read(_ text: String, _ format: BlobFormat = .auto) -> (bytes: [UInt8], format: BlobFormat)? {
        try? BlobInput.decode(Array(text.utf8), format: format).get()
    }

    @Test(arguments: [
        "0a0568656c6c6f109601",
        "0a 05 68 65 6c 6c 6f 10 96 01\n",
        "0x0a 0x05 0x68 0x65 0x6c 0x6c 0x6f 0x10 0x96 0x01",
        "0A:05:68:65:6C:6C:6F:10:96:01",
        "\\x0a\\x05\\x68\\x65\\x6c\\x6c\\x6f\\x10\\x96\\x01",
        "0x0a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x10, 0x96, 0x01",
        // xxd
        "00000000: 0a05 6865 6c6c 6f10 9601                 ..hello...\n",
        // hexdump -C
        "00000000  0a 05 68 65 6c 6c 6f 10  96 01                    |..hello...|\n0000000a\n",
    ])
    func hexForms(_ text: String) throws {
        let read = try #require(Self.read(text))
        #expect(read.bytes == Self.bytes)
        #expect(read.format == .hex)
    }

    @Test func base64AndBase64URL() throws {
        #expect(Self.read("CgVoZWxsbxCWAQ==")?.bytes == Self.bytes)
        #expect(Self.read("CgVoZWxsbxCWAQ")?.format == .base64)
        #expect(Self.read("_-8", .base64)?.bytes == [0xFF, 0xEF])
    }

    @Test func binaryStaysBinary() throws {
        #expect(Self.read(String(decoding: Self.bytes, as: UTF8.self))?.format == .binary)
        let raw = try BlobInput.decode(Self.bytes, format: .auto).get()
        #expect(raw.format == .binary && raw.bytes == Self.bytes)
    }

    @Test func forcedFormatsExplainFailures() {
        guard case let .failure(odd) = BlobInput.decode(Array("0a0".utf8), format: .hex) else { Issue.record("odd digits accepted"); return }
        #expect(odd.description == "not hex: an odd number of hex digits (3)")
        guard case let .failure(bad) = BlobInput.decode(Array("0a zz".utf8), format: .hex) else { Issue.record("zz accepted"); return }
        #expect(bad.description == "not hex: character 3 is 'z'")
        guard case let .failure(notBase64) = BlobInput.decode(Array("ab$d".utf8), format: .base64) else { Issue.record("$ accepted"); return }
        #expect(notBase64.description == "not base64: character 2 (whitespace removed)")
    }
}
