import ByteStream
import HTTP2
import HTTPExchange
import Testing
import TestSupport

/// What HTTP/2 frames say about their stream's exchange: the vocabulary the call layer consumes.
@Suite struct ExchangeEventTests {
    typealias F = HTTP2FrameBuilder

    static func exchangeEvents(_ events: [HTTP2Event]) -> [ExchangeEvent] {
        var out: [ExchangeEvent] = []
        for case let .frame(record) in events { record.exchangeEvents(into: &out) }
        return out
    }

    static func describe(_ event: ExchangeEvent) -> String {
        let side = event.direction == .clientToServer ? "c" : "s"
        switch event.kind {
        case let .headBegins(ends): return "\(side)\(event.exchange) head begins\(ends ? " (end)" : "")"
        case let .head(lines): return "\(side)\(event.exchange) head " + lines.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        case let .body(bytes, offset, ends): return "\(side)\(event.exchange) body \(bytes.count)@\(offset)\(ends ? " (end)" : "")"
        case let .reset(code): return "\(side)\(event.exchange) reset \(code)"
        case .activity: return "\(side)\(event.exchange) activity"
        case let .goingAway(last, code, reason): return "\(side)\(event.exchange) going away after \(last) \(code) \(reason)"
        }
    }

    @Test func aRequestAndResponseBecomeHeadsBodiesAndTrailers() {
        var c = TCPConversation()
        // Stream 1: a HEADERS block split into CONTINUATION, a padded DATA, a WINDOW_UPDATE; then
        // the response, its trailers, and a RST_STREAM on stream 3. SETTINGS (stream 0) say nothing.
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings()
                + F.headers(stream: 1, block: [0x83, 0x86], endHeaders: false) + F.continuation(stream: 1, block: [0x84])
                + F.data(stream: 1, [1, 2, 3], endStream: true, padLength: 2)),
            c.send(.server, F.windowUpdate(stream: 1, increment: 5) + F.headers(stream: 1, block: [0x88])
                + F.data(stream: 1, [9, 9]) + F.headers(stream: 1, block: [0x40, 0x01, 0x61, 0x01, 0x62], endStream: true)
                + F.frame(type: 0x3, stream: 3, payload: [0, 0, 0, 8]) + F.goaway(lastStream: 1, code: 0, debug: "bye")),
        ]
        let events = Self.exchangeEvents(http2Events(packets)).map(Self.describe)
        // Offsets: the client's DATA payload starts after the preface (24), SETTINGS (9), HEADERS
        // (9+2), CONTINUATION (9+1), its frame header (9) and pad length (1): 64.
        #expect(events == [
            "c1 head begins", "c1 activity", "c1 head :method=POST,:scheme=http,:path=/",
            "c1 body 3@64 (end)",
            "s1 activity", "s1 head begins", "s1 head :status=200", "s1 body 2@32", "s1 head begins (end)", "s1 head a=b",
            "s3 reset CANCEL", "s0 going away after 1 NO_ERROR bye",
        ])
    }

    /// Frames not reported (the call views): the connection gathers the same exchange events, in
    /// the same order, and counts the frames and the rules they broke, with no `.frame` event.
    @Test func unreportedFramesGiveTheSameExchangesAndCounts() throws {
        let client = F.preface + F.settings() + F.headers(stream: 1, block: [0x83, 0x86], endHeaders: false)
            + F.continuation(stream: 1, block: [0x84]) + F.data(stream: 1, [1, 2, 3], endStream: true, padLength: 2)
        // DATA on a stream never opened breaks a rule (RFC 9113 §5.1).
        let server = F.windowUpdate(stream: 1, increment: 5) + F.headers(stream: 1, block: [0x88]) + F.data(stream: 1, [9, 9])
            + F.data(stream: 7, [1]) + F.headers(stream: 1, block: [0x40, 0x01, 0x61, 0x01, 0x62], endStream: true)
        let id = ConnectionID(rawValue: 1)
        func feed(_ connection: inout HTTP2Connection) -> [HTTP2Event] {
            var events: [HTTP2Event] = []
            for (packet, (direction, bytes)) in [(Direction.clientToServer, client), (.serverToClient, server)].enumerated() {
                let position = StreamPosition(connection: id, direction: direction, packet: packet + 1, time: .zero)
                connection.receive(StreamData(position: position, offset: 0, bytes: bytes[...]), into: &events)
            }
            return events
        }
        var reporting = HTTP2Connection(id: id, handshakeSeen: true, describesFrames: false)
        let reported = feed(&reporting)
        var gathering = HTTP2Connection(id: id, handshakeSeen: true, describesFrames: false, reportsFrames: false)
        let others = feed(&gathering)
        var gathered: [ExchangeEvent] = []
        let counts = gathering.takeExchanges(leaving: &gathered)

        #expect(gathered.map(Self.describe) == Self.exchangeEvents(reported).map(Self.describe))
        #expect(gathered.count == 11)
        #expect(counts.frames == reported.records.count && counts.frames == 9)
        let violations = reported.records.reduce(0) { $0 + $1.violations.count }
        #expect(counts.violations == violations && violations > 0)
        #expect(!others.contains { if case .frame = $0 { true } else { false } })
        // Taken once: the next take starts empty.
        #expect(gathering.takeExchanges(leaving: &gathered) == (0, 0) && gathered.isEmpty)
    }
}
