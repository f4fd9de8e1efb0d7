import Analysis
import Capture
import Packet
import Render
import Testing
import TestSupport

/// Statistics are values with `merge`: connections decoded apart add up to what decoding them
/// together counts.
@Suite struct StatisticsMergeTests {
    typealias F = HTTP2FrameBuilder

    /// RFC 7541 §6.2.2 literal without indexing, name from static index `index` (4-bit prefix).
    static func literal(index: Int, _ value: String) -> [UInt8] {
        (index < 15 ? [UInt8(index)] : [0x0F, UInt8(index - 15)]) + [UInt8(value.utf8.count)] + Array(value.utf8)
    }

    /// One connection carrying `calls` unary gRPC calls to `path`, the last one answered NOT_FOUND.
    static func connection(port: UInt16, path: String, calls: Int) -> [CapturedPacket] {
        var c = TCPConversation(client: Endpoint(IPAddress("10.0.0.1")!, port), server: Endpoint(IPAddress("10.0.0.2")!, 50051))
        var packets = c.handshake() + [c.send(.client, F.preface + F.settings()), c.send(.server, F.settings() + F.settings(ack: true))]
        for call in 0..<calls {
            let stream = UInt32(2 * call + 1)
            let request = [0x83, 0x86] + literal(index: 4, path) + literal(index: 31, "application/grpc")
            let status = call == calls - 1 ? "5" : "0"
            let trailers: [UInt8] = [0x00, 11] + Array("grpc-status".utf8) + [1] + Array(status.utf8)
            packets.append(c.send(.client, F.headers(stream: stream, block: request) + F.data(stream: stream, [0, 0, 0, 0, 2, 8, 1], endStream: true)))
            packets.append(c.send(.server, F.headers(stream: stream, block: [0x88]) + F.data(stream: stream, [0, 0, 0, 0, 0])
                + F.headers(stream: stream, block: trailers, endStream: true)))
        }
        return packets + [c.fin(.client), c.fin(.server), c.ack(.client)]
    }

    static func decode(_ packets: [CapturedPacket]) -> (CaptureStatistics, CallStatistics) {
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(CaptureFileBuilder.pcap(packets), into: &events)
        session.finish(into: &events)
        var calls = CallStatistics()
        for case let .call(call) in events { calls.add(call) }
        return (session.statistics, calls)
    }

    @Test func connectionsDecodedApartMergeIntoTheWhole() throws {
        let a = Self.connection(port: 40001, path: "/pkg.A/Get", calls: 3)
        let b = Self.connection(port: 40002, path: "/pkg.B/List", calls: 2)
        let (whole, wholeCalls) = Self.decode(a + b)
        var (merged, mergedCalls) = Self.decode(a)
        let (second, secondCalls) = Self.decode(b)
        merged.merge(second)
        mergedCalls.merge(secondCalls)
        #expect(merged.packets == whole.packets && merged.tcpPackets == whole.tcpPackets && merged.capturedBytes == whole.capturedBytes)
        #expect(merged.http2 == whole.http2)
        #expect(whole.http2?.http2Connections == 2 && whole.http2?.frames ?? 0 > 20)
        #expect(mergedCalls.total == 5 && mergedCalls.lines == wholeCalls.lines)
        #expect(wholeCalls.lines.contains { $0.hasPrefix("/pkg.A/Get   3      ") && $0.hasSuffix("  NOT_FOUND 1, OK 2") })
    }

    /// Without `--stats` only the number of calls shown is kept, however they are merged.
    @Test func withoutPerMethodRowsOnlyTheTotalIsKept() {
        var (_, calls) = Self.decode(Self.connection(port: 40001, path: "/pkg.A/Get", calls: 3))
        var totalOnly = CallStatistics(perMethod: false)
        var events: [AnalysisEvent] = []
        var session = CaptureSession()
        session.feed(CaptureFileBuilder.pcap(Self.connection(port: 40002, path: "/pkg.B/List", calls: 2)), into: &events)
        session.finish(into: &events)
        for case let .call(call) in events { totalOnly.add(call) }
        #expect(totalOnly.total == 2 && totalOnly.lines == ["no calls"])
        calls.merge(totalOnly)
        #expect(calls.total == 5 && !calls.lines.contains { $0.hasPrefix("/pkg.B/List") })
    }
}
