import Analysis
import Capture
import GRPC
import Testing
import TestSupport

/// Garbage at every layer goes through the whole pipeline without a crash, and what can be
/// decoded still is.
@Suite struct RobustnessTests {
    /// After a valid call, random frames, random DATA payloads and random bytes: the valid call
    /// is still reported, and nothing traps.
    @Test(arguments: 0..<20)
    func randomTrafficAfterAValidCall(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        func noise(_ lengths: Range<Int>) -> [UInt8] {
            let count = Int.random(in: lengths, using: &random)
            return random.bytes(count)
        }
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [("grpc-status", "0")]), endStream: true)))
        for _ in 0..<10 {
            let side: TCPConversation.Side = Bool.random(using: &random) ? .client : .server
            switch Int.random(in: 0..<4, using: &random) {
            case 0: packets.append(c.send(side, noise(1..<300)))
            case 1: packets.append(c.send(side, F.data(stream: 3, noise(0..<100))))
            case 2: packets.append(c.send(side, F.headers(stream: 3, block: noise(0..<60))))
            default:
                let type = UInt8.random(in: 0...12, using: &random)
                packets.append(c.send(side, F.frame(type: type, flags: .random(in: 0...255, using: &random), stream: .random(in: 0...5, using: &random),
                                                    payload: noise(0..<40))))
            }
        }
        let result = calls(packets)
        #expect(result.first?.path == "/userservice.UserService/GetUser")
        #expect(result.first?.status?.code == .ok)
    }

    /// Random bytes as a capture file, and random bytes inside valid records.
    @Test(arguments: 0..<10)
    func randomCaptureBytes(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed) &+ 1000)
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(random.bytes(2000), into: &events)
        session.finish(into: &events)
        var conversation = TCPConversation()
        conversation.linkType = [.ethernet, .linuxSLL2, .null, .raw].randomElement(using: &random)!
        var packets = conversation.handshake()
        for _ in 0..<30 {
            var packet = conversation.send(.client, random.bytes(50))
            // Corrupt headers at random positions.
            for _ in 0..<3 { packet.data[Int.random(in: 0..<packet.data.count, using: &random)] = .random(in: 0...255, using: &random) }
            packets.append(packet)
        }
        var second = CaptureSession()
        second.feed(CaptureFileBuilder.pcap(packets), into: &events)
        second.finish(into: &events)
        #expect(second.statistics.packets == packets.count)
    }
}
