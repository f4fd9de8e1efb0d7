import Analysis
import Capture
import HPACK
import HTTP2
import Testing
import TestSupport

@Suite struct HeaderBlockTests {
    /// RFC 7541 §4.2: the encoder may use a table up to the size the decoder's side announced in
    /// SETTINGS_HEADER_TABLE_SIZE, from the moment that SETTINGS is acknowledged.
    @Test func tableSizeFollowsAcknowledgedSettings() throws {
        var c = TCPConversation()
        let sizeUpdate100: [UInt8] = [0x3F, 0x45]        // §6.3: size update, 31 + 69 = 100
        let sizeUpdate4096: [UInt8] = [0x3F, 0xE1, 0x1F]  // 31 + 4065 = 4096
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings([(1, 100)]) + F.headers(stream: 1, block: [0x82, 0x86, 0x84], endStream: true)),
            c.send(.server, F.settings() + F.settings(ack: true) + F.headers(stream: 1, block: sizeUpdate100 + [0x88])),
            c.send(.server, F.headers(stream: 1, block: sizeUpdate4096 + [0x88], endStream: true)),
        ]
        let events = http2Events(packets)
        let ack = try #require(events.records.first { $0.direction == .serverToClient && $0.frame.header.flags.contains(.ack) })
        #expect(ack.annotations.contains("HPACK table for server→client now limited to 100 bytes"))
        let first = try #require(events.record(.headers, 1))
        #expect(first.violations.isEmpty)
        #expect(first.headerBlock?.decoded?.sizeUpdates.map(\.maxSize) == [100])
        let second = try #require(events.record(.headers, 2))
        #expect(second.violations.map(\.layer) == [.hpack])
        #expect(second.headerBlock?.decoded?.fields.map(\.valueString) == ["200"])
    }

    /// A capture that starts after the first request: its dynamic table entries were never seen,
    /// yet the later blocks decode, with placeholders for the unknown entries.
    @Test func midConnectionHeaderBlocksUsePlaceholders() throws {
        var c = TCPConversation()
        let handshake = c.handshake()
        // First request: :authority "example" added to the dynamic table (index 62).
        let first = c.send(.client, F.preface + F.settings() + F.headers(stream: 1, block: [0x82, 0x86, 0x84, 0x41, 0x07] + Array("example".utf8), endStream: true))
        let reply = c.send(.server, F.settings() + F.settings(ack: true) + F.headers(stream: 1, block: [0x88], endStream: true))
        // Second request refers to it (0xBE = index 62) and adds x-a: b (then x-a is 62, :authority 63).
        let second = c.send(.client, F.headers(stream: 3, block: [0x82, 0x86, 0x84, 0xBE, 0x40, 0x03] + Array("x-a".utf8) + [0x01, 0x62], endStream: true))
        let third = c.send(.client, F.headers(stream: 5, block: [0x82, 0xBF, 0xBE], endStream: true))
        let events = http2Events(handshake + [reply, second, third])
        #expect(events.detections == [.midStream])
        let blocks = events.records.compactMap(\.headerBlock).filter { $0.stream == 3 || $0.stream == 5 }
        try #require(blocks.count == 2)
        #expect(blocks[0].decoded?.fields.map(\.nameString) == [":method", ":scheme", ":path", "<unknown entry #1, index 62>", "x-a"])
        #expect(blocks[0].tablePartlyKnown)
        #expect(blocks[0].decoded?.diagnostics.isEmpty == true)
        // The entry learnt after the cut is used; the older one stays unknown, shifted to 63 but
        // still the same entry, #1.
        #expect(blocks[1].decoded?.fields.map(\.nameString) == [":method", "<unknown entry #1, index 63>", "x-a"])
        #expect(blocks[1].decoded?.fields.map(\.valueString) == ["GET", "<value of unknown entry #1>", "b"])
        _ = first
    }
}
