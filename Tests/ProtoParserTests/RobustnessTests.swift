import Foundation
import XCTest
@testable import ProtoParser

/// Truncated and mutated corpus files never crash and finish quickly.
final class RobustnessTests: XCTestCase {
    private func corpus() -> [String] {
        var out: [String] = []
        for root in ["/work/main/dissectors", "/usr/share/grpc-proto"] {
            for f in TestSupport.protoFiles(under: root).prefix(12) {
                if let s = try? String(contentsOfFile: root + "/" + f, encoding: .utf8) { out.append(s) }
            }
        }
        out.append(DescriptorSource.text)
        return out
    }

    func testTruncationsAndMutations() throws {
        let sources = corpus()
        try XCTSkipIf(sources.count < 2, "no corpus")
        var rng = SystemRandomNumberGenerator()
        let start = Date()
        var runs = 0
        let garbage: [UInt8] = Array("{}[]()<>;=,.\"'\\/*-+0x9e_ \n\tmessage enum option map stream".utf8)
        for source in sources {
            let bytes = Array(source.utf8)
            // Truncations at 40 points.
            for k in 0..<40 {
                let cut = bytes.count * k / 40
                let text = String(decoding: bytes[..<cut], as: UTF8.self)
                _ = ProtoFileParser.parse(text, path: "t.proto")
                _ = ProtoCompiler(loader: { $0 == "t.proto" ? text : nil }).compile(["t.proto"])
                runs += 1
            }
            // Random byte mutations.
            for _ in 0..<40 {
                var m = bytes
                for _ in 0..<(1 + Int.random(in: 0..<8, using: &rng)) where !m.isEmpty {
                    let i = Int.random(in: 0..<m.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: m[i] = garbage.randomElement(using: &rng)!
                    case 1: m.remove(at: i)
                    default: m.insert(garbage.randomElement(using: &rng)!, at: i)
                    }
                }
                let text = String(decoding: m, as: UTF8.self)
                _ = ProtoCompiler(loader: { $0 == "t.proto" ? text : nil }).compile(["t.proto"])
                runs += 1
            }
        }
        // Deep nesting and pathological inputs.
        let deep = String(repeating: "message A {", count: 5000)
        _ = ProtoFileParser.parse(deep, path: "deep.proto")
        let aggregate = "option (x) = " + String(repeating: "{ a ", count: 3000) + ";"
        _ = ProtoCompiler(loader: { _ in aggregate }).compile(["a.proto"])
        let elapsed = Date().timeIntervalSince(start)
        print("ROBUSTNESS: \(runs) mutated inputs in \(String(format: "%.1f", elapsed))s")
        XCTAssertLessThan(elapsed, 300)
    }
}
