import Analysis
import Capture
import GRPC
import Testing
import TestSupport

/// Garbage at every layer goes through the whole pipeline without a crash, and what can be
/// decoded still is.
@Suite struct RobustnessTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func bytes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// After a valid call, random frames, random DATA payloads and random bytes: the valid call
    /// is still reported, and nothing traps.
    @Test(arguments: 0..<20)
    func randomTrafficAfterAValidCall(seed: Int) {
        var random = SplitMix64(state: UInt64(seed))
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [("grpc-status", "0")]), endStream: true)))
        for _ in 0..<10 {
            let side: TCPConversation.Side = Bool.random(using: &random) ? .client : .server
            switch Int.random(in: 0..<4, using: &random) {
            case 0: packets.append(c.send(side, Self.bytes(Int.random(in: 1..<300, using: &random), &random)))
            case 1: packets.append(c.send(side, F.data(stream: 3, Self.bytes(Int.random(in: 0..<100, using: &random), &random))))
            case 2: packets.append(c.send(side, F.headers(stream: 3, block: Self.bytes(Int.random(in: 0..<60, using: &random), &random))))
            default:
                let type = UInt8.random(in: 0...12, using: &random)
                packets.append(c.send(side, F.frame(type: type, flags: .random(in: 0...255, using: &random), stream: .random(in: 0...5, using: &random),
                                                    payload: Self.bytes(Int.random(in: 0..<40, using: &random), &random))))
            }
        }
        let result = calls(packets)
        #expect(result.first?.path == "/userservice.UserService/GetUser")
        #expect(result.first?.status?.code == .ok)
    }

    /// Random bytes as a capture file, and random bytes inside valid records.
    @Test(arguments: 0..<10)
    func randomCaptureBytes(seed: Int) {
        var random = SplitMix64(state: UInt64(seed) &+ 1000)
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(Self.bytes(2000, &random), into: &events)
        session.finish(into: &events)
        var conversation = TCPConversation()
        conversation.linkType = [.ethernet, .linuxSLL2, .null, .raw].randomElement(using: &random)!
        var packets = conversation.handshake()
        for _ in 0..<30 {
            var packet = conversation.send(.client, Self.bytes(50, &random))
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
