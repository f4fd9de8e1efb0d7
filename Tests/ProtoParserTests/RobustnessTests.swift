import Foundation
import XCTest
@testable import ProtoParser

/// Truncated and mutated corpus files never crash and finish quickly.
final class RobustnessTests: XCTestCase {
    private func corpus() -> [String] {
        var out: [String] = []
        for root in [TestSupport.dissectors, "/usr/share/grpc-proto"] {
            for f in TestSupport.protoFiles(under: root).prefix(12) {
                if let s = try? String(contentsOfFile: root + "/" + f, encoding: .utf8) { out.append(s) }
            }
        }
        out.append(DescriptorSource.text)
        let upstream = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/checkouts/swift-protobuf/Sources/protobuf/protobuf/src/google/protobuf").path
        for name in ["unittest_custom_options.proto", "unittest_import_option.proto", "unittest_features.proto", "unittest.proto", "unittest_proto3_optional.proto"] {
            if let s = try? String(contentsOfFile: upstream + "/" + name, encoding: .utf8) { out.append(s) }
        }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
        for f in TestSupport.protoFiles(under: fixtures) {
            if let s = try? String(contentsOfFile: fixtures + "/" + f, encoding: .utf8) { out.append(s) }
        }
        return out
    }

    /// Imports resolve against the fixtures and the system include directory,
    /// so mutated files still link against real dependencies.
    private static let importCompiler: @Sendable (String) -> ProtoCompiler = { text in
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
        return ProtoCompiler(loader: { name in
            if name == "t.proto" { return text }
            let src = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/checkouts/swift-protobuf/Sources/protobuf/protobuf/src").path
            for dir in [fixtures, src, "/usr/include"] {
                if let d = FileManager.default.contents(atPath: dir + "/" + name) { return String(decoding: d, as: UTF8.self) }
            }
            return nil
        })
    }

    func testTruncationsAndMutations() throws {
        let sources = corpus()
        try XCTSkipIf(sources.count < 2, "no corpus")
        var rng = SystemRandomNumberGenerator()
        let start = Date()
        var runs = 0
        var slowest: TimeInterval = 0
        let garbage: [UInt8] = Array("{}[]()<>;=,.\"'\\/*-+0x9e_ \n\tmessage enum option map stream".utf8)
        for source in sources {
            let bytes = Array(source.utf8)
            // Truncations at 40 points.
            for k in 0..<40 {
                let cut = bytes.count * k / 40
                let text = String(decoding: bytes[..<cut], as: UTF8.self)
                _ = ProtoFileParser.parse(text, path: "t.proto")
                _ = RobustnessTests.importCompiler(text).compile(["t.proto"])
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
                let t0 = Date()
                _ = RobustnessTests.importCompiler(text).compile(["t.proto"])
                slowest = max(slowest, Date().timeIntervalSince(t0))
                runs += 1
            }
        }
        // Extreme numbers and pathological constructs.
        let extremes = [
            "syntax = \"proto2\"; message A { extensions 2147483647; extensions -2147483648 to -1; reserved 2147483647 to max; optional int32 a = 2147483647; }",
            "syntax = \"proto2\"; message A { extensions 1 to max; extensions 1 to max; } extend A { optional int32 x = 536870911; }",
            "syntax = \"proto3\"; enum E { reserved -2147483648 to max; Z = 0; X = -2147483648; }",
            "syntax = \"proto2\"; import \"google/protobuf/descriptor.proto\"; extend google.protobuf.FileOptions { optional int64 x = 50000; optional A a = 50001; } message A { optional A a = 1; repeated int32 r = 2; } option (x) = -9223372036854775809; option (a) = { a { a { a { r: [1, -1, 99999999999999999999] } } } };",
            "syntax = \"proto2\"; message A { optional int32 a = 1 [default = 0x]; optional double d = 2 [default = 1e99999]; optional float f = 3 [default = -nan]; optional bytes b = 4 [default = \"\\xZZ\\u12\\U00110000\"]; }",
            "syntax = \"proto3\"; message A { map<string, map<string, int32>> m = 1; oneof { } oneof o { } }",
            "syntax = \"proto2\"; message A { optional group g = 1 { optional group G = 2 {} } }",
            "edition = \"2023\"; edition = \"2024\"; message A { reserved a, \"b\", 3; }",
            "syntax = \"proto3\"; package a..b; import public weak \"x\"; service S { rpc R(stream stream) returns (stream); }",
            "syntax = \"proto3\"; option (.a.b).c.(d.e) = { [x.y]: 1 [type.googleapis.com/z] { } a: < b: 1 > };",
        ]
        let descriptor = (try? String(contentsOfFile: "/usr/include/google/protobuf/descriptor.proto", encoding: .utf8)) ?? DescriptorSource.text
        for text in extremes {
            _ = ProtoFileParser.parse(text, path: "t.proto")
            _ = ProtoCompiler(loader: { $0 == "t.proto" ? text : ($0 == "google/protobuf/descriptor.proto" ? descriptor : nil) }).compile(["t.proto"])
            runs += 1
        }
        // Deep nesting and pathological inputs.
        let deep = String(repeating: "message A {", count: 5000)
        _ = ProtoFileParser.parse(deep, path: "deep.proto")
        let aggregate = "option (x) = " + String(repeating: "{ a ", count: 3000) + ";"
        _ = ProtoCompiler(loader: { _ in aggregate }).compile(["a.proto"])
        let elapsed = Date().timeIntervalSince(start)
        print("ROBUSTNESS: \(runs) mutated inputs in \(String(format: "%.1f", elapsed))s, slowest mutation \(String(format: "%.2f", slowest))s")
        XCTAssertLessThan(slowest, 10)
        XCTAssertLessThan(elapsed, 300)
    }
}
