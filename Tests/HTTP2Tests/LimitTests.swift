import Analysis
import HPACK
import HTTP2
import Testing
import TestSupport

/// The HTTP/2 layer's limits (`HTTP2Limits`): each reported where it is hit, and what lies past
/// it handled as said.
@Suite struct LimitTests {
    static func configuration(_ limits: HTTP2Limits) -> Analyzer.Configuration {
        var configuration = Analyzer.Configuration()
        configuration.http2 = limits
        return configuration
    }

    /// A block past the limit is not decoded, and the table is unknown after it: a later
    /// reference to the entry an earlier block added reads as an unknown entry, not as that
    /// entry (the lost block may have added others in front of it).
    @Test func aHeaderBlockPastTheLimitIsNotDecodedAndLosesTheTable() throws {
        var c = TCPConversation()
        let addsEntry: [UInt8] = [0x82, 0x86, 0x84, 0x40, 0x01, 0x61, 0x01, 0x62]  // a: b, indexed as 62
        let packets = c.handshake() + [c.send(.client, F.preface + F.settings()
            + F.headers(stream: 1, block: addsEntry, endStream: true)
            + F.headers(stream: 3, block: [0x82], endHeaders: false)
            + F.continuation(stream: 3, block: [UInt8](repeating: 0x40, count: 60), endHeaders: false)
            + F.continuation(stream: 3, block: [UInt8](repeating: 0x40, count: 60), endHeaders: false)
            + F.continuation(stream: 3, block: [0x40], endHeaders: true)
            + F.headers(stream: 5, block: [0x82, 0x86, 0x84, 0xBE], endStream: true))]
        let events = http2Events(packets, configuration: Self.configuration(HTTP2Limits(maxHeaderBlockBytes: 100)))
        let violations = events.records.flatMap(\.violations).map(\.code)
        #expect(violations == ["http2.header-block.limit"])
        #expect(events.record(.continuation, 1)?.violations.first?.message.contains("passed 100 bytes") == true)
        let blocks = events.records.compactMap(\.headerBlock)
        #expect(blocks.count == 3)
        #expect(blocks[0].decoded?.fields.last?.valueString == "b")
        #expect(blocks[1].decoded == nil && blocks[1].frames == 4 && blocks[1].bytes.count == 61)
        let afterLoss = try #require(blocks[2].decoded?.fields.last)
        #expect(afterLoss.name == nil && afterLoss.valueString != "b")
        #expect(blocks[2].tablePartlyKnown)
    }

    /// Past the stream limit the oldest stream is forgotten (said once), with its windows; its
    /// later frames are not checked, while a frame on a stream closed normally still is.
    @Test func pastTheStreamLimitTheOldestIsForgotten() throws {
        var c = TCPConversation()
        var opens: [UInt8] = []
        for stream in stride(from: UInt32(1), through: 7, by: 2) { opens += F.headers(stream: stream, block: [0x82, 0x86, 0x84]) }
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings() + opens + F.headers(stream: 9, block: [0x82, 0x86, 0x84], endStream: true)),
            c.send(.server, F.settings() + F.headers(stream: 9, block: [0x88], endStream: true)),
            c.send(.client, F.data(stream: 1, [1], endStream: true) + F.data(stream: 9, [2])),
        ]
        let events = http2Events(packets, configuration: Self.configuration(HTTP2Limits(maxOpenStreams: 3)))
        let limit = events.records.filter { $0.violations.contains { $0.code == "http2.streams.limit" } }
        #expect(limit.count == 1)
        #expect(limit.first?.frame.streamID == 7)
        #expect(limit.first?.violations.first?.message.contains("stream 1, the oldest") == true)
        // DATA on forgotten stream 1: not checked. DATA on stream 9, closed by both sides: a violation.
        #expect(events.record(.data, 0)?.violations.isEmpty == true)
        #expect(events.record(.data, 1)?.violations.map(\.code) == ["http2.stream-state"])
    }

    /// SETTINGS and PINGs never answered are kept only up to a bound; the answers to the latest
    /// still match.
    @Test func unansweredSettingsAndPingsAreBounded() throws {
        var c = TCPConversation()
        var flood: [UInt8] = []
        for index in 0..<1000 { flood += F.settings([(4, UInt32(70_000 + index))]) + F.ping(UInt64(index)) }
        let packets = c.handshake() + [
            c.send(.client, F.preface + flood),
            c.send(.server, F.settings(ack: true) + F.ping(999, ack: true) + F.ping(0, ack: true)),
        ]
        let events = http2Events(packets)
        let acks = events.records.filter { $0.direction == .serverToClient && $0.frame.header.flags.contains(.ack) }
        #expect(acks.count == 3)
        #expect(acks[0].annotations.first?.hasPrefix("acknowledges SETTINGS of packet 4") == true)
        #expect(acks[1].annotations.first?.hasPrefix("answers PING of packet 4") == true)
        #expect(acks[2].annotations.first == "answers no outstanding PING")
    }
}
