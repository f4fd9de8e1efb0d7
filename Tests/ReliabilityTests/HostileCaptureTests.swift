import Analysis
import Capture
import GRPC
import Packet
import Reassembly
import HTTP2
import Render
import Testing
import TestSupport

/// The hostile captures (docs/reliability.md, where their time and memory at full size are
/// measured by scripts/hostile.sh): each, at a size a test can afford, decodes with the limit
/// it attacks reported where it was hit, and the well-formed call that follows it on another
/// connection still decodes.
@Suite struct HostileCaptureTests {
    struct Outcome {
        var calls: [GRPCCall] = []
        /// Every diagnostic code, with how often it was reported (capture, frames, calls).
        var codes: [String: Int] = [:]
        var text: [String] = []
        var statistics: CaptureStatistics?

        var wellFormedCallDecoded: Bool {
            calls.contains { $0.path == HostileCapture.checkPath && $0.status?.code == .ok && $0.responses.first?.bytes == [0x08, 0x01] && !$0.incomplete }
        }
    }

    static func decode(_ capture: HostileCapture, scale: Double, configure: (inout Analyzer.Configuration) -> Void = { _ in }) -> Outcome {
        var configuration = Analyzer.Configuration()
        configuration.describesFrames = false
        configure(&configuration)
        var session = CaptureSession(configuration: configuration)
        var view = CallView(verbosity: 1, hex: false, json: false)
        var outcome = Outcome()
        var events: [AnalysisEvent] = []
        func take() {
            for event in events {
                outcome.text += view.render(event)
                switch event {
                case let .diagnostic(diagnostic): outcome.codes[diagnostic.code, default: 0] += 1
                case let .http2(.frame(record)): for violation in record.violations { outcome.codes[violation.code, default: 0] += 1 }
                case let .http2(.skipped(_, _, diagnostic)): outcome.codes[diagnostic.code, default: 0] += 1
                case let .call(call):
                    outcome.calls.append(call)
                    for warning in call.warnings { outcome.codes[warning.code, default: 0] += 1 }
                default: break
                }
            }
            events.removeAll()
        }
        session.feed(capture.capture(scale: scale), into: &events)
        take()
        session.finish(into: &events)
        take()
        outcome.statistics = session.statistics
        return outcome
    }

    /// Every capture: the call after the attack decodes, whatever the attack did.
    @Test(arguments: HostileCapture.allCases)
    func theCallAfterTheAttackDecodes(_ capture: HostileCapture) {
        #expect(Self.decode(capture, scale: 0.01).wellFormedCallDecoded)
    }

    @Test func hpackSizeStormAndReferencesPastTheTable() {
        let outcome = Self.decode(.hpackSizeStorm, scale: 0.02)
        // Each block that names an index past any table is reported, and its stream still becomes a call.
        #expect(outcome.codes["hpack.integer_overflow"] == 200)
        #expect(outcome.calls.count == 202)
    }

    @Test func continuationFloodHitsTheHeaderBlockLimit() {
        let outcome = Self.decode(.continuationFlood, scale: 0.1)  // 5,000 KiB of CONTINUATION
        #expect(outcome.codes == ["http2.header-block.limit": 1])
        #expect(outcome.wellFormedCallDecoded)
    }

    @Test func streamFloodForgetsTheOldestStreamsAndCalls() {
        let outcome = Self.decode(.streamFlood, scale: 0.02)  // 20,000 streams, 10,000 at most
        #expect(outcome.codes["http2.streams.limit"] == 1)
        #expect(outcome.codes["grpc.call.evicted"] == 10_000)
        #expect(outcome.wellFormedCallDecoded)
    }

    @Test func settingsAndPingFlood() {
        let outcome = Self.decode(.settingsPingFlood, scale: 0.05)
        #expect(outcome.codes.isEmpty)
        #expect(outcome.calls.count == 1001)
    }

    @Test func windowUpdatesPastTheMaximum() {
        let outcome = Self.decode(.windowOverflow, scale: 0.01)  // 2,000 updates of 2^31-1
        #expect(outcome.codes == ["http2.flow-control.overflow": 2000])
    }

    @Test func aMessageDeclaring4GiBIsReportedNotBuffered() {
        let outcome = Self.decode(.hugeMessage, scale: 0.1)
        #expect(outcome.codes["grpc.message.too-large"] == 1)
        #expect(outcome.text.contains { $0.contains("4294967295") })
    }

    @Test func deepNestingStopsAtTheDepthLimit() {
        let outcome = Self.decode(.deepNesting, scale: 0.1)  // 10,000 levels
        let call = outcome.calls.first { $0.path != HostileCapture.checkPath }
        #expect(call?.requests.first?.bytes?.count ?? 0 > 20_000)
        #expect(outcome.text.contains { $0.hasPrefix(String(repeating: "  ", count: 66) + "1: ") && $0.contains("(at the depth limit: not read as a message)") })
    }

    @Test func gzipBombInflatesOnlyToTheMessageLimit() {
        let outcome = Self.decode(.gzipBomb, scale: 0.01) { $0.calls.maxMessageLength = 1 << 20 }  // 2.7 MB of zeros
        let message = outcome.calls.first { $0.path != HostileCapture.checkPath }?.requests.first
        #expect(message?.bytes == nil)
        #expect(message?.problem?.contains("1048576") == true)
    }

    @Test func synFloodOfHalfOpenConnections() {
        let outcome = Self.decode(.synFlood, scale: 0.05)
        #expect(outcome.statistics?.packets == 5000 + 10)
        #expect(outcome.wellFormedCallDecoded)
    }

    @Test func synFloodPastTheConnectionLimit() {
        let outcome = Self.decode(.synFlood, scale: 0.05) { $0.reassembly.maxConnections = 1000 }
        #expect(outcome.codes["tcp.connections.limit"] == 1)
        #expect(outcome.wellFormedCallDecoded)
    }

    /// At the connection limit the connection idle longest goes, not the oldest: one that keeps
    /// sending outlives a flood of newer, silent ones.
    @Test func theConnectionClosedAtTheLimitIsTheIdlest() throws {
        var configuration = Analyzer.Configuration()
        configuration.depth = .tcp
        configuration.reassembly.maxConnections = 5
        var active = TCPConversation(client: Endpoint(IPAddress("10.0.0.1")!, 40_000), server: Endpoint(IPAddress("10.0.0.2")!, 80))
        var packets = active.handshake()
        for index in 0..<30 {
            var silent = TCPConversation(client: Endpoint(IPAddress("10.0.1.1")!, UInt16(41_000 + index)), server: Endpoint(IPAddress("10.0.0.2")!, 80))
            silent.time = active.time
            packets.append(silent.segment(.client, flags: .syn, consumes: 1))
            active.time = silent.time
            if index % 3 == 0 { packets.append(active.send(.client, Array("ping \(index)\n".utf8))) }
        }
        var session = CaptureSession(configuration: configuration)
        var events: [AnalysisEvent] = []
        session.feed(CaptureFileBuilder.pcap(packets), into: &events)
        session.finish(into: &events)
        let closed = events.compactMap { if case let .tcp(.closed(summary)) = $0 { summary } else { nil } }
        #expect(closed.count == 31)
        #expect(closed.filter { $0.reason == .limit }.count == 26)
        let first = try #require(closed.first { $0.info.client.port == 40_000 })
        #expect(first.reason == .captureEnded)
        #expect(first.clientToServer.bytes == 76)
    }

    @Test func overlappingAndIncompleteFragments() {
        let outcome = Self.decode(.ipFragments, scale: 0.01)  // 1,000 datagrams, half never completed
        #expect(outcome.codes["ip.fragment.overlap"] == 500)
        #expect(outcome.codes["ip.fragment.incomplete"] == 500)
    }

    @Test func sequenceNumbersJumpingGigabytes() {
        let outcome = Self.decode(.sequenceGap, scale: 0.05)
        #expect(outcome.wellFormedCallDecoded)
        #expect(outcome.calls.count == 1)
    }
}
