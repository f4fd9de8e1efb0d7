import Analysis
import Capture
import Testing
import TestSupport
@testable import TLS

/// Records split across TCP segments at every size, several records in one segment, and a
/// direction's records arriving before the handshake that gives their keys: the plaintext is the
/// same as from the capture as it was recorded.
@Suite struct ResegmentationTests {
    /// Each direction's TCP byte stream of the first connection of a capture.
    static func streams(_ file: [UInt8]) -> (client: [UInt8], server: [UInt8]) {
        var configuration = Analyzer.Configuration()
        configuration.depth = .tcp
        var session = CaptureSession(configuration: configuration)
        var events: [AnalysisEvent] = []
        session.feed(file, into: &events)
        session.finish(into: &events)
        var client: [UInt8] = [], server: [UInt8] = []
        for case let .tcp(.data(data)) in events where data.position.connection.rawValue == 1 {
            if data.position.direction == .clientToServer { client += data.bytes } else { server += data.bytes }
        }
        return (client, server)
    }

    /// A capture of the same two streams, each cut into `size`-byte segments: the client's first,
    /// then the server's (so the client's protected records wait for the ServerHello), or
    /// interleaved segment by segment.
    static func resegmented(_ streams: (client: [UInt8], server: [UInt8]), size: Int, interleaved: Bool) -> [UInt8] {
        var conversation = TCPConversation(client: .init(.init("10.0.0.1")!, 40000), server: .init(.init("10.0.0.2")!, 443))
        var packets = conversation.handshake()
        let clientPieces = stride(from: 0, to: streams.client.count, by: size).map { Array(streams.client[$0..<min($0 + size, streams.client.count)]) }
        let serverPieces = stride(from: 0, to: streams.server.count, by: size).map { Array(streams.server[$0..<min($0 + size, streams.server.count)]) }
        if interleaved {
            for index in 0..<max(clientPieces.count, serverPieces.count) {
                if index < clientPieces.count { packets.append(conversation.send(.client, clientPieces[index])) }
                if index < serverPieces.count { packets.append(conversation.send(.server, serverPieces[index])) }
            }
        } else {
            packets += clientPieces.map { conversation.send(.client, $0) } + serverPieces.map { conversation.send(.server, $0) }
        }
        return CaptureFileBuilder.pcap(packets + [conversation.fin(.client), conversation.fin(.server), conversation.ack(.client)])
    }

    @Test(arguments: ["tls13-keyupdate", "tls12-ecdhe-rsa-aes128-sha256-etm", "tls13-early-data"])
    func everySegmentSizeGivesTheSamePlaintext(name: String) throws {
        let keys = try Fixture.keyLog("\(name).keys")
        let original = try #require(Decryption.run(try Fixture.bytes("\(name).pcap"), keys: keys).first)
        let streams = Self.streams(try Fixture.bytes("\(name).pcap"))
        for size in [1, 2, 3, 5, 7, 13, 64, 300, 1500, 100_000] {
            for interleaved in [true, false] {
                let again = try #require(Decryption.run(Self.resegmented(streams, size: size, interleaved: interleaved), keys: keys).first)
                #expect(again.client == original.client && again.server == original.server, "\(name), \(size)-byte segments, interleaved: \(interleaved)")
                #expect(again.session?.decrypted == true, "\(name) \(size): \(again.session?.notDecryptedReason ?? "")")
            }
        }
    }

    @Test func aRecordCutShortByTheEndIsReported() throws {
        let streams = Self.streams(try Fixture.bytes("tls13-aes128gcm.pcap"))
        let cut = (client: streams.client, server: Array(streams.server.dropLast(10)))
        let decrypted = try #require(Decryption.run(Self.resegmented(cut, size: 1500, interleaved: true), keys: try Fixture.keyLog("tls13-aes128gcm.keys")).first)
        #expect(decrypted.messages.contains { $0.hasPrefix("a record cut short:") }, "\(decrypted.messages)")
        #expect(!decrypted.server.isEmpty)  // what came before the cut is still decrypted
    }

    @Test func aNonTLSStreamOnPort443IsNotTakenForTLS() throws {
        // HTTP/2 with prior knowledge on 443: the bytes say HTTP/2.
        var conversation = TCPConversation(client: .init(.init("10.0.0.1")!, 40000), server: .init(.init("10.0.0.2")!, 443))
        let packets = conversation.handshake() + [
            conversation.send(.client, HTTP2FrameBuilder.preface + HTTP2FrameBuilder.settings()),
            conversation.send(.server, HTTP2FrameBuilder.settings()),
        ]
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(CaptureFileBuilder.pcap(packets), into: &events)
        session.finish(into: &events)
        #expect(session.statistics.http2?.http2Connections == 1 && session.statistics.http2?.tlsConnections == 0)
    }
}
