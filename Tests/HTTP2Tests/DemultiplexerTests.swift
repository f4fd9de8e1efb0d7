import ByteStream
import Packet
import Testing
import TestSupport
import WireCore

/// The demultiplexer names a connection's next layer from its first bytes and hands over every
/// event it held, in order.
@Suite struct DemultiplexerTests {
    static let connection = ConnectionID(rawValue: 7)

    static func data(_ direction: Direction, _ bytes: [UInt8], at offset: Int64 = 0, packet: Int = 1) -> ByteStreamEvent {
        .data(StreamData(position: StreamPosition(connection: connection, direction: direction, packet: packet, time: .zero),
                         offset: offset, bytes: bytes[...]))
    }

    /// Feeds `events`; returns the layer and the replayed events' packets once decided.
    static func decide(_ events: [ByteStreamEvent]) -> (NextLayer, [Int])? {
        var demux = StreamDemultiplexer()
        for event in events {
            if let (layer, replay) = demux.take(event) {
                return (layer, replay.map { if case let .data(d) = $0 { d.position.packet } else { -1 } })
            }
        }
        return nil
    }

    @Test(arguments: [
        (HTTP2FrameBuilder.preface, NextLayer.http2),
        // RFC 8446 §5.1: a handshake record (22), legacy version 3.1.
        ([0x16, 0x03, 0x01, 0x02, 0x00, 0x01], .tls),
        (Array("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n".utf8), .http1),
        (Array("POST /pkg.S/M HTTP/1.1\r\nHost: a\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: 5\r\n\r\n".utf8), .http1),
        (Array("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n".utf8), .http2),
        (Array("SSH-2.0-OpenSSH_9.2\r\n".utf8), .http2),  // matches nothing: HTTP/2 searches for frames
    ])
    func clientFirstBytesNameTheLayer(bytes: [UInt8], layer: NextLayer) {
        #expect(Self.decide([Self.data(.clientToServer, bytes)])?.0 == layer)
    }

    @Test func bytesSplitAcrossPacketsWaitAndAreReplayedInOrder() throws {
        let preface = HTTP2FrameBuilder.preface
        var demux = StreamDemultiplexer()
        #expect(demux.take(Self.data(.clientToServer, Array(preface[0..<3]), packet: 4)) == nil)
        #expect(demux.holdsBytes)
        #expect(demux.take(Self.data(.clientToServer, Array(preface[3..<20]), at: 3, packet: 5)) == nil)
        let decision = demux.take(Self.data(.clientToServer, Array(preface[20...]), at: 20, packet: 6))
        let (layer, replay) = try #require(decision)
        #expect(layer == .http2)
        #expect(replay.compactMap { if case let .data(d) = $0 { d.position.packet } else { nil } } == [4, 5, 6])
        #expect(!demux.holdsBytes)
    }

    @Test func aServerThatSpeaksFirstOrAStreamJoinedMidwayGoesToHTTP2() {
        #expect(Self.decide([Self.data(.serverToClient, [0, 0, 0, 4, 0, 0, 0, 0, 0], packet: 9)])! == (.http2, [9]))
        #expect(Self.decide([Self.data(.clientToServer, [0x16, 0x03, 0x01, 0, 1, 1], at: 1200)])?.0 == .http2)
    }

    @Test func serverBytesWhileTheClientIsUndecidedAreHeld() throws {
        let (layer, replay) = try #require(Self.decide([
            Self.data(.clientToServer, Array("GET / HT".utf8), packet: 1),
            Self.data(.serverToClient, Array("HTTP/1.1 200 OK\r\n".utf8), packet: 2),
            Self.data(.clientToServer, Array("TP/1.1\r\nHost: a\r\n\r\n".utf8), at: 8, packet: 3),
        ]))
        #expect(layer == .http1 && replay == [1, 2, 3])
    }

    @Test func aGapDecidesForHTTP2WithTheGapReplayed() throws {
        var demux = StreamDemultiplexer()
        _ = demux.take(Self.data(.clientToServer, Array("PRI".utf8)))
        let position = StreamPosition(connection: Self.connection, direction: .clientToServer, packet: 2, time: .zero)
        let decision = demux.take(.gap(StreamGap(position: position, offset: 3, length: 100, reason: .notCaptured)))
        let (layer, replay) = try #require(decision)
        #expect(layer == .http2 && replay.count == 2)
        if case .gap = replay.last {} else { Issue.record("the gap is replayed last") }
    }

    @Test func roleEvidenceIsTheClientPreface() {
        #expect(StreamSniffer.clientEvidence(HTTP2FrameBuilder.preface[...]) == .http2Preface)
        #expect(StreamSniffer.clientEvidence(HTTP2FrameBuilder.preface[0..<8]) == .http2Preface)
        #expect(StreamSniffer.clientEvidence(HTTP2FrameBuilder.preface[0..<7]) == nil)  // too little to tell
        #expect(StreamSniffer.clientEvidence(Array("HTTP/1.1 200 OK\r\n".utf8)[...]) == nil)
    }
}
