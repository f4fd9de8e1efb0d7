import Foundation
import FuzzTargets
import Testing

/// Seeds made from a real capture reach what its traffic holds: grpcio's connection ends with a
/// server GOAWAY ("Server shutdown"), which the `grpc` target's seed carries as an exchange event.
@Suite struct SeedCorpusTests {
    @Test func theGrpcSeedCarriesTheServersGoaway() throws {
        let capture = CorpusReplayTests.root.appendingPathComponent("../../captures/grpcio-python.pcap")
        var corpus = SeedCorpus()
        corpus.addCapture([UInt8](try Data(contentsOf: capture)))
        let seeds = try #require(corpus.seeds[.grpc], "\(corpus.seeds.mapValues(\.count))")
        #expect(seeds.contains { $0.firstRange(of: Array("Server shutdown".utf8)) != nil }, "\(seeds.map(\.count))")
        for seed in seeds { FuzzTarget.grpc.run(seed) }
    }
}
