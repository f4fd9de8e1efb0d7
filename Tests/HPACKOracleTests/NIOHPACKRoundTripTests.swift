import HPACK
import NIOCore
import NIOHPACK
import Testing
import TestSupport

/// NIOHPACK's encoder (swift-nio-http2, written by nobody on this team) encodes header lists in
/// every representation, with and without Huffman coding and with table size changes; our
/// decoder must give back the same fields, in order, with the representation asked for.
@Suite struct NIOHPACKRoundTripTests {
    enum Kind: CaseIterable { case indexable, nonIndexed, neverIndexed }

    static let names = [":method", ":path", ":authority", ":scheme", ":status", "content-type", "te", "grpc-timeout",
                        "grpc-encoding", "grpc-accept-encoding", "user-agent", "grpc-status", "grpc-message",
                        "x-request-id", "authorization", "trace-proto-bin", "accept-encoding", "cookie"]
    static let values = ["GET", "POST", "/userservice.UserService/GetUser", "application/grpc", "trailers", "200", "0",
                         "gzip", "identity,deflate,gzip", "grpc-swift/2.4", "Bearer abc.def", "5S", "", "a%20b"]

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func roundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let allocator = ByteBufferAllocator()
        var encoder = HPACKEncoder(allocator: allocator, useHuffmanEncoding: seed % 2 == 0)
        var decoder = HPACKDecoder()
        for blockNumber in 0..<60 {
            // Now and then the encoder shrinks or grows its table (within the default 4096).
            if Int.random(in: 0..<8, using: &random) == 0 {
                try encoder.setDynamicTableSize([0, 256, 1024, 4096].randomElement(using: &random)!)
            }
            var expected: [(String, String, Kind)] = []
            try encoder.beginEncoding(allocator: allocator)
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let name = Bool.random(using: &random) ? Self.names.randomElement(using: &random)! : "x-" + Self.word(&random)
                let value = Bool.random(using: &random) ? Self.values.randomElement(using: &random)! : Self.word(&random)
                let kind = Kind.allCases.randomElement(using: &random)!
                switch kind {
                case .indexable: try encoder.append(header: name, value: value)
                case .nonIndexed: try encoder.appendNonIndexed(header: name, value: value)
                case .neverIndexed: try encoder.appendNeverIndexed(header: name, value: value)
                }
                expected.append((name, value, kind))
            }
            let buffer = try encoder.endEncoding()
            let block = decoder.decode(block: Array(buffer.readableBytesView))
            #expect(block.diagnostics.isEmpty, "seed \(seed) block \(blockNumber): \(block.diagnostics)")
            #expect(block.fields.map(\.nameString) == expected.map(\.0), "seed \(seed) block \(blockNumber)")
            #expect(block.fields.map(\.valueString) == expected.map(\.1), "seed \(seed) block \(blockNumber)")
            for (field, (_, _, kind)) in zip(block.fields, expected) {
                switch kind {
                case .indexable: #expect(field.representation == .indexed || field.representation == .literalWithIncrementalIndexing)
                case .nonIndexed: #expect(field.representation == .literalWithoutIndexing || field.representation == .indexed)
                case .neverIndexed: #expect(field.representation == .literalNeverIndexed)
                }
                if seed % 2 == 1 { #expect(field.nameHuffman != true && field.valueHuffman != true) }
            }
            #expect(decoder.dynamicTable.size == encoder.dynamicTableSize, "seed \(seed) block \(blockNumber)")
        }
    }

    static func word(_ random: inout SeededRandom) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.~/%")
        return String((0..<Int.random(in: 1...24, using: &random)).map { _ in letters.randomElement(using: &random)! })
    }
}
