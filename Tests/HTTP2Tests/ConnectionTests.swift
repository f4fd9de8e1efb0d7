import Analysis
import ByteStream
import Capture
import HTTP2
import Reassembly
import Testing
import TestSupport

/// Runs a scripted conversation through a capture file and the whole pipeline.
func analysisEvents(_ packets: [CapturedPacket], configuration: Analyzer.Configuration = Analyzer.Configuration()) -> [AnalysisEvent] {
    var session = CaptureSession(configuration: configuration)
    var events: [AnalysisEvent] = []
    session.feed(CaptureFileBuilder.pcap(packets), into: &events)
    session.finish(into: &events)
    return events
}

/// The HTTP/2 events of a scripted conversation.
func http2Events(_ packets: [CapturedPacket], configuration: Analyzer.Configuration = Analyzer.Configuration()) -> [HTTP2Event] {
    analysisEvents(packets, configuration: configuration).compactMap { if case let .http2(event) = $0 { event } else { nil } }
}

extension [HTTP2Event] {
    var records: [FrameRecord] { compactMap { if case let .frame(r) = $0 { r } else { nil } } }
    var detections: [HTTP2Detection] { compactMap { if case let .detected(_, how, _) = $0 { how } else { nil } } }
    func record(_ type: FrameType, _ index: Int = 0) -> FrameRecord? { records.filter { $0.frame.type == type }.dropFirst(index).first }
}

@Suite struct ConnectionTests {
    /// A prior-knowledge exchange: preface, SETTINGS both ways and their ACKs, a request and a response.
    static func exchange(extraClient: [UInt8] = [], extraServer: [UInt8] = []) -> [CapturedPacket] {
        var c = TCPConversation()
        return c.handshake() + [
            c.send(.client, F.preface + F.settings([(4, 1 << 20)])),
            c.send(.server, F.settings([(3, 100), (5, 16384)]) + F.settings(ack: true)),
            c.send(.client, F.settings(ack: true) + F.headers(stream: 1, block: [0x82, 0x86, 0x84], endStream: false) + F.data(stream: 1, [1, 2, 3], endStream: true) + extraClient),
            c.send(.server, F.headers(stream: 1, block: [0x88]) + F.data(stream: 1, [UInt8](repeating: 9, count: 1000)) + F.headers(stream: 1, block: [0x40, 0x01, 0x61, 0x01, 0x62], endStream: true) + extraServer),
        ]
    }

    @Test func priorKnowledgeWithSettingsAcknowledged() throws {
        let events = http2Events(Self.exchange())
        #expect(events.detections == [.priorKnowledge])
        #expect(events.contains { if case .preface = $0 { true } else { false } })
        let clientAck = try #require(events.records.first { $0.direction == .clientToServer && $0.frame.header.flags.contains(.ack) })
        #expect(clientAck.annotations.first?.hasPrefix("acknowledges SETTINGS of packet 5 after 1.00ms") == true)
        #expect(events.records.allSatisfy { $0.violations.isEmpty })
    }

    @Test func flowControlAndStreamStates() throws {
        let events = http2Events(Self.exchange(extraServer: F.windowUpdate(increment: 10) + F.windowUpdate(stream: 3, increment: 1)))
        // The client's SETTINGS_INITIAL_WINDOW_SIZE of 2^20 governs what the server may send it.
        let serverData = try #require(events.records.first { $0.frame.type == .data && $0.direction == .serverToClient })
        #expect(serverData.annotations.contains("window left: connection 64535, stream 1047576"))
        let clientData = try #require(events.records.first { $0.frame.type == .data && $0.direction == .clientToServer })
        #expect(clientData.annotations.contains("stream 1: open → half-closed (client)"))
        #expect(clientData.annotations.contains("window left: connection 65532, stream 65532"))
        let trailers = try #require(events.record(.headers, 2))
        #expect(trailers.annotations.contains("stream 1: half-closed (client) → closed"))
        let update = try #require(events.record(.windowUpdate))
        #expect(update.annotations == ["connection window 65532 → 65542 (+10)"])
    }

    @Test func exhaustedWindowIsBlockedUntilUpdated() throws {
        var c = TCPConversation()
        let chunk = [UInt8](repeating: 1, count: 16384)
        var packets = c.handshake() + [c.send(.client, F.preface + F.settings() + F.headers(stream: 1, block: [0x82]))]
        packets.append(c.send(.server, F.settings() + F.settings(ack: true)))
        packets.append(c.send(.client, F.settings(ack: true) + F.data(stream: 1, chunk) + F.data(stream: 1, chunk)))
        packets.append(c.send(.client, F.data(stream: 1, chunk) + F.data(stream: 1, Array(chunk.dropLast()))))  // 65,535 bytes in all
        packets.append(c.send(.client, F.data(stream: 1, [1])))  // past the window
        packets.append(c.send(.server, F.windowUpdate(increment: 100_000) + F.windowUpdate(stream: 1, increment: 100_000)))
        let events = http2Events(packets)
        let last = try #require(events.records.filter { $0.frame.type == .data }.dropLast().last)
        #expect(last.annotations.contains("window left: connection 0, stream 0"))
        #expect(last.annotations.contains("sender blocked: connection window exhausted"))
        let over = try #require(events.records.filter { $0.frame.type == .data }.last)
        #expect(over.violations.map(\.message) == ["DATA sent past the connection flow-control window (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)"])
        #expect(last.violations.isEmpty)
        let update = try #require(events.record(.windowUpdate))
        #expect(update.annotations.contains { $0.hasPrefix("connection unblocked after 2.00ms (blocked at packet 7)") })
    }

    @Test func initialWindowChangeAppliesToOpenStreams() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings() + F.headers(stream: 1, block: [0x82]) + F.headers(stream: 3, block: [0x82])),
            c.send(.server, F.settings(ack: true) + F.data(stream: 1, [UInt8](repeating: 0, count: 1000))),
            // The client shrinks the initial window below what the server already used on stream 1.
            c.send(.client, F.settings([(4, 500)])),
        ]
        let events = http2Events(packets)
        let settings = try #require(events.records.last { $0.frame.type == .settings })
        #expect(settings.annotations.contains("initial stream window 65535 → 500, 2 open streams adjusted by -65035; negative now: streams 1"))
    }

    /// RFC 9113 §6.9.1: a window must not exceed 2^31-1.
    @Test func windowOverflowIsAViolation() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings() + F.headers(stream: 1, block: [0x82])),
            c.send(.server, F.settings(ack: true) + F.windowUpdate(increment: 0x7FFF_0000) + F.windowUpdate(increment: 1) + F.windowUpdate(stream: 1, increment: 0x7FFF_FFFF)),
        ]
        let events = http2Events(packets)
        // Up to exactly 2^31-1 is allowed; one more is not.
        #expect(events.record(.windowUpdate, 0)?.violations.isEmpty == true)
        #expect(events.record(.windowUpdate, 0)?.annotations == ["connection window 65535 → 2147483647 (+2147418112)"])
        #expect(events.record(.windowUpdate, 1)?.violations.map(\.code) == ["http2.flow-control.overflow"])
        #expect(events.record(.windowUpdate, 2)?.violations.map(\.code) == ["http2.flow-control.overflow"])
    }

    /// Without frame notes (views that do not show frames), the state is still followed: the
    /// same violations are found, and no note is written.
    @Test func withoutNotesViolationsAreStillFound() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings([(4, 100)]) + F.headers(stream: 1, block: [0x82]) + F.headers(stream: 2, block: [0x82])),
            c.send(.server, F.settings(ack: true) + F.settings([(4, 10)]) + F.data(stream: 1, [UInt8](repeating: 0, count: 150))
                + F.windowUpdate(increment: 0x7FFF_0000) + F.windowUpdate(increment: 1)),
        ]
        var quiet = Analyzer.Configuration()
        quiet.describesFrames = false
        let described = http2Events(packets).records, undescribed = http2Events(packets, configuration: quiet).records
        #expect(described.contains { !$0.annotations.isEmpty })
        #expect(undescribed.allSatisfy { $0.annotations.isEmpty })
        let codes = described.flatMap { $0.violations.map(\.code) }
        #expect(codes.contains("http2.flow-control.overflow") && codes.contains("http2.flow-control.exceeded") && codes.contains("http2.stream-state"))
        #expect(undescribed.map { $0.violations.map(\.code) } == described.map { $0.violations.map(\.code) })
    }

    @Test func pingRoundTrip() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [c.send(.client, F.preface + F.settings() + F.ping(42)), c.send(.server, F.settings() + F.ping(42, ack: true) + F.ping(43, ack: true))]
        let events = http2Events(packets)
        #expect(events.record(.ping, 1)?.annotations == ["answers PING of packet 4, round trip 1.00ms"])
        #expect(events.record(.ping, 2)?.annotations == ["answers no outstanding PING"])
        #expect(events.record(.ping, 0)?.annotations == ["opaque data 0x000000000000002a"])
    }

    /// GOAWAY's fields, and what a keepalive policy's "too_many_pings" means (grpc-go, gRPC core).
    @Test func goawayWithItsReason() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [c.send(.client, F.preface + F.settings()),
                                       c.send(.server, F.settings() + F.goaway(lastStream: 3, code: 0xB, debug: "too_many_pings"))]
        let notes = try #require(http2Events(packets).record(.goaway, 0)?.annotations)
        #expect(notes.first == #"last stream 3, error ENHANCE_YOUR_CALM, debug data "too_many_pings""#)
        #expect(notes.count == 2 && notes[1].hasPrefix("the client pinged more often than the server's keepalive policy allows"))
    }

    @Test func continuationJoinsHeaderBlocksAndOutOfPlaceFramesAreFlagged() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [c.send(.client, F.preface + F.settings()
            + F.headers(stream: 1, block: [0x82, 0x86], endHeaders: false) + F.continuation(stream: 1, block: [0x84], endHeaders: false)
            + F.continuation(stream: 1, block: [0x41, 0x01, 0x61])
            + F.headers(stream: 3, block: [0x82], endHeaders: false) + F.ping(1)
            + F.continuation(stream: 5, block: [0x82]))]
        let events = http2Events(packets)
        let block = try #require(events.records.compactMap(\.headerBlock).first)
        #expect(block.stream == 1 && block.frames == 3 && block.bytes == [0x82, 0x86, 0x84, 0x41, 0x01, 0x61])
        #expect(events.record(.ping)?.violations.map(\.code) == ["http2.continuation.expected"])
        #expect(events.record(.continuation, 2)?.violations.map(\.code) == ["http2.continuation.unexpected"])
    }

    @Test func streamRulesAndFrameSize() throws {
        var c = TCPConversation()
        let packets = c.handshake() + [
            c.send(.client, F.preface + F.settings() + F.headers(stream: 2, block: [0x82]) + F.headers(stream: 1, block: [0x82], endStream: true)
                + F.data(stream: 1, [1])),
            c.send(.server, F.settings() + F.data(stream: 1, [UInt8](repeating: 0, count: 20_000)) + F.rstStream(stream: 9, code: 8)),
        ]
        let events = http2Events(packets)
        let codes = events.records.flatMap { $0.violations.map(\.code) }
        #expect(codes.filter { $0 == "http2.stream-state" }.count == 3)  // even client stream, DATA after END_STREAM, RST on idle
        #expect(codes.contains("http2.frame-size"))
        #expect(events.record(.rstStream)?.annotations.contains("error CANCEL") == true)
    }

    @Test func h2cUpgrade() throws {
        var c = TCPConversation()
        let request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"
        let response = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
        let packets = c.handshake() + [
            c.send(.client, Array(request.utf8)),
            c.send(.server, Array(response.utf8) + F.settings() + F.headers(stream: 1, block: [0x88]) + F.data(stream: 1, [1], endStream: true)),
            c.send(.client, F.preface + F.settings() + F.settings(ack: true)),
        ]
        let events = http2Events(packets)
        #expect(events.detections == [.h2cUpgrade])
        #expect(events.records.map(\.frame.type) == [.settings, .headers, .data, .settings, .settings])
        #expect(events.record(.data)?.annotations.contains("stream 1: half-closed (client) → closed") == true)
    }

    @Test(arguments: [
        ([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5] as [UInt8], OtherProtocol.tls),
        (Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), OtherProtocol.http1),
    ])
    func otherProtocolsAreReportedNotMisdecoded(first: [UInt8], kind: OtherProtocol) {
        var c = TCPConversation()
        let events = analysisEvents(c.handshake() + [c.send(.client, first), c.send(.server, [0x16, 0x03, 0x03, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0])])
        // The demultiplexer names the next layer from the client's first bytes; no HTTP/2 layer is
        // made. TLS goes to the TLS layer (which, with no key log, says it could not decrypt);
        // HTTP/1.x to the HTTP/1 layer, which says that the answer is not an HTTP response.
        if kind == .tls {
            let sessions = events.compactMap { if case let .tlsSession(s) = $0 { s } else { nil } }
            #expect(sessions.count == 1 && sessions.first?.decrypted == false)
        } else {
            #expect(events.contains { if case let .diagnostic(d) = $0 { d.code.hasPrefix("http1.") } else { false } })
            #expect(events.contains { if case let .call(call) = $0 { call.callProtocol == .http1 && call.incomplete } else { false } })
        }
        #expect(events.allSatisfy { if case .http2 = $0 { false } else { true } })
    }

    /// The reference nghttp2 capture cut so that its first packets are missing: the frames after
    /// the cut are still found and decoded.
    @Test func midConnectionCutOfARealCapture() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("captures/h2c-nghttp.pcap")
        let records = CaptureFileBuilder.read(Array(try Data(contentsOf: path)))
        let packets = records.packets
        let whole = http2Events(packets)
        let cut = http2Events(Array(packets.dropFirst(7)))
        #expect(whole.detections == [.priorKnowledge])
        #expect(cut.detections == [.midStream])
        let wholeData = whole.records.filter { $0.frame.type == .data }.map(\.frame.streamOffset)
        let cutData = cut.records.filter { $0.frame.type == .data }.map(\.frame.streamOffset)
        #expect(!cutData.isEmpty)
        #expect(cutData.count == wholeData.count)
        #expect(cut.records.allSatisfy { $0.violations.isEmpty })
    }
}

import Foundation
