import Analysis
import ByteStream
import Capture
import Foundation
import Packet
@testable import Reassembly
import Testing
import TLS
import WireCore

/// The threaded reader's core without threads: the packet stage's output split among several
/// connection stages by `ShardRouter`, their events merged by `OrderKey`, must be exactly what
/// one `Analyzer` reports, event for event, for any number of shards.
@Suite struct ShardedAnalysisTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Captures with many connections, reordering, HTTP/1.1, TLS with keys given, with secrets in
    /// the file, and with roles settled by TLS secrets (a session joined mid-way).
    static let captures: [(path: String, keys: String?)] = [
        ("captures/reference-lo.pcap", nil),
        ("captures/grpcio-long-reordered.pcap", nil),
        ("captures/grpcio-long-cut80.pcap", nil),
        ("captures/web-h1.pcap", nil),
        ("captures/h2-curl-mixed.pcap", nil),
        ("captures/http-lo-and-any.pcapng", nil),
        ("captures/reference-tls.pcap", "captures/reference-tls.keys"),
        ("Tests/TLSTests/Fixtures/grpc-python-tls-proxy-dsb.pcapng", nil),
        ("Tests/TLSTests/Fixtures/grpc-python-tls-proxy-midsession.pcap", "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-midsession.keys"),
    ]

    @Test(arguments: captures.indices, [AnalysisDepth.calls, .tcp])
    func shardsMergedGiveWhatOneAnalyzerGives(index: Int, depth: AnalysisDepth) throws {
        let (path, keys) = Self.captures[index]
        let file = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(path)))
        var configuration = Analyzer.Configuration()
        configuration.depth = depth
        if let keys { configuration.keyLog = KeyLog(text: try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(keys)))) }
        let expected = Self.oneAnalyzer(file, configuration)
        #expect(expected.count > 10)
        for shards in [1, 2, 3, 5] {
            let sharded = Self.sharded(file, configuration, shards: shards)
            #expect(sharded.count == expected.count, "\(path), \(shards) shards")
            let firstDifference = zip(sharded, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDifference == nil, "\(path), \(shards) shards: event \(firstDifference ?? 0) differs")
        }
    }

    @Test func aConnectionStaysOnTheShardWithFewestOpenWhenItOpened() {
        var router = ShardRouter(shards: 3)
        // Connections 4, 7, 5 open (to shards 0, 1, 2); 4 closes; 9 opens on the emptiest (0).
        var batch: [ReassemblyEvent] = [.opened(Self.info(4)), .rolesChanged(Self.info(4)), .opened(Self.info(7)), .rolesChanged(Self.info(4)),
                                        .opened(Self.info(5)), .closed(Self.summary(4)), .rolesChanged(Self.info(7)), .opened(Self.info(9))]
        router.nextRecord()
        router.connections(&batch)
        let (work, _) = router.take()
        let runs = work.map { $0.map { item -> [Int] in
            guard case let .tcp(_, events) = item else { return [] }
            return events.map(\.connection.rawValue)
        } }
        // Runs of one connection in a row; keys in batch order.
        #expect(runs == [[[4, 4], [4], [4], [9]], [[7], [7]], [[5]]])
        #expect(work[0].map(\.key.order) == [0, 2, 4, 6] && work[1].map(\.key.order) == [1, 5] && work[2].map(\.key.order) == [3])
    }

    /// With ties broken by turn, connections that open one after the other alternate between
    /// the shards. Breaking them by the lowest shard put them all on the first, which on the
    /// benchmark capture (3.3 connections open on average) gave one worker 60% of the work.
    @Test func connectionsOpenedOneAtATimeTakeTurnsAmongTheShards() {
        var router = ShardRouter(shards: 2)
        var shards: [Int] = []
        for id in 1...5 {
            var batch: [ReassemblyEvent] = [.opened(Self.info(id)), .closed(Self.summary(id))]
            router.nextRecord()
            router.connections(&batch)
            let work = router.take().work
            shards += work.indices.filter { !work[$0].isEmpty }
        }
        #expect(shards == [0, 1, 0, 1, 0])
    }

    static func summary(_ id: Int) -> ConnectionSummary {
        ConnectionSummary(info: info(id), end: Timestamp(seconds: 1, nanoseconds: 0), lastPacket: 2, reason: .fin, sawSYN: true,
                          sawSYNACK: true, clientToServer: DirectionStatistics(), serverToClient: DirectionStatistics())
    }

    static func info(_ id: Int) -> ConnectionInfo {
        let a = Endpoint(IPAddress("127.0.0.1")!, 1000), b = Endpoint(IPAddress("127.0.0.1")!, 2000)
        return ConnectionInfo(id: ConnectionID(rawValue: id), client: a, server: b, clientEvidence: .syn, firstPacket: 1, start: Timestamp(seconds: 0, nanoseconds: 0))
    }

    static func oneAnalyzer(_ file: [UInt8], _ configuration: Analyzer.Configuration) -> [String] {
        var session = CaptureSession(configuration: configuration)
        var events: [AnalysisEvent] = []
        session.feed(file, into: &events)
        session.finish(into: &events)
        return events.map { String(describing: $0) }
    }

    static func sharded(_ file: [UInt8], _ configuration: Analyzer.Configuration, shards: Int) -> [String] {
        var reader = CaptureReader()
        reader.append(file)
        var records: [CaptureRecord] = []
        while let record = reader.next() { records.append(record) }
        records += reader.finish()
        var packets = PacketStage(configuration: configuration)
        var router = ShardRouter(shards: shards)
        for record in records {
            router.nextRecord()
            packets.ingest(record, into: &router)
        }
        router.nextRecord()
        packets.finish(into: &router)
        let (work, diagnostics) = router.take()
        var keyed = diagnostics.map { (key: $0.key, text: String(describing: AnalysisEvent.diagnostic($0.diagnostic))) }
        for shard in 0..<shards {
            var stage = ConnectionStage(configuration: configuration)
            var events: [AnalysisEvent] = []
            var ends: [(key: OrderKey, end: Int)] = []
            for item in work[shard] { stage.perform(item, into: &events, ends: &ends) }
            var start = 0
            for (key, end) in ends {
                keyed += events[start..<end].map { (key, String(describing: $0)) }
                start = end
            }
        }
        // A stable sort: one key's events stay in the order they were made.
        return keyed.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.text)
    }
}
