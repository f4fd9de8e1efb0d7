import Foundation
import Testing

/// Calls as they are really captured (traffic of grpcio and of a gRPC-Web server, sonora): a
/// capture joined mid-connection, packets reordered and duplicated, gRPC-Web over HTTP/1.1 and
/// HTTP/2. The expectations are what the clients saw (`captures/*.expected.json`, written when
/// the captures were recorded; scripts/web-fixtures/).
@Suite(.timeLimit(.minutes(3))) struct RealCaptureTests {
    /// The calls of a capture as `--json --json-raw` objects.
    static func calls(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try CommandRunner.grpcdump(arguments + ["--json", "--json-raw"])
        try #require(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static func expected(_ name: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("captures/\(name)"))) as? [String: Any])
    }

    /// The messages of one direction of a call, as hex.
    static func messages(_ call: [String: Any], _ key: String) -> [String] {
        ((call[key] as? [[String: Any]]) ?? []).map { message in
            (message["raw_base64"] as? String).flatMap { Data(base64Encoded: $0) }.map { $0.map { String(format: "%02x", $0) }.joined() } ?? "?"
        }
    }

    static func statusCode(_ call: [String: Any]) -> Int? { (call["status"] as? [String: Any])?["code"] as? Int }

    @Test(arguments: [40, 80, 120])
    func aCaptureJoinedMidConnectionKeepsEveryWholeCall(cut: Int) throws {
        let expected = try Self.expected("grpcio-long.expected.json")["calls"] as! [[String: Any]]
        let cuts = try Self.expected("grpcio-long.cuts.json")["cuts"] as! [[String: Any]]
        let whole = try #require(cuts.first { $0["dropped_packets"] as? Int == cut }?["calls_whole"] as? [Int])
        let calls = try Self.calls(["-r", "captures/grpcio-long-cut\(cut).pcap"])
        var methodsKnown = 0
        for index in whole {
            let want = expected[index - 1]
            let stream = want["stream_id"] as! Int
            let call = try #require(calls.first { $0["stream_id"] as? Int == stream }, "cut \(cut): call \(index) (stream \(stream)) missing")
            // Every call whose frames are all in the capture is gRPC, its messages decoded.
            #expect(call["protocol"] as? String == "grpc", "cut \(cut) stream \(stream): \(call["protocol"] ?? "")")
            #expect(Self.messages(call, "requests") == ((want["request_message_hex"] as? String).map { [$0] } ?? []), "cut \(cut) stream \(stream) requests")
            #expect(Self.messages(call, "responses") == (want["response_messages_hex"] as? [String] ?? []), "cut \(cut) stream \(stream) responses")
            // The method, given or inferred, is right when shown.
            if let method = call["method"] as? String {
                #expect(method == want["method"] as? String, "cut \(cut) stream \(stream): \(method) for \(want["method"]!)")
                methodsKnown += 1
            }
            // No status is invented: the client's, or unknown with the reason.
            if let code = Self.statusCode(call) {
                #expect(code == want["status_code"] as? Int, "cut \(cut) stream \(stream): status \(code) for \(want["status_code"]!)")
            } else {
                #expect((call["status"] as? [String: Any])?["reason"] is String, "cut \(cut) stream \(stream): no status and no reason")
            }
        }
        // The method is unknown only where the messages fit several methods equally (an error call
        // with no response, a Health/Check on a connection where no other Check was inferred).
        #expect(methodsKnown * 4 >= whole.count * 3, "cut \(cut): methods known for \(methodsKnown) of \(whole.count) calls")
        // A call cut through (its request HEADERS before the cut) is still a gRPC call, its
        // messages decoded all the same (inferred from its DATA when nothing else says gRPC).
        for index in cuts.first { $0["dropped_packets"] as? Int == cut }?["calls_partial"] as? [Int] ?? [] {
            let stream = expected[index - 1]["stream_id"] as! Int
            let call = try #require(calls.first { $0["stream_id"] as? Int == stream })
            #expect(call["protocol"] as? String == "grpc", "cut \(cut) stream \(stream)")
            #expect(Self.messages(call, "responses").allSatisfy { $0 != "?" })
        }
    }

    @Test func aReorderedAndDuplicatedTwinDiffsAsIdentical() throws {
        let result = try CommandRunner.grpcdump(["diff", "captures/grpcio-long.pcap", "captures/grpcio-long-reordered.pcap"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("32 paired (32 same, 0 different)"), "\(result.stdout)")
        for call in try Self.calls(["-r", "captures/grpcio-long-reordered.pcap"]) {
            #expect((call["latency_ns"] as? Int ?? -1) >= 0, "\(call["stream_id"]!): negative latency")
        }
    }

    @Test(arguments: ["web-h1", "web-h2"])
    func grpcWebCallsAreDecodedAsTheClientSawThem(capture: String) throws {
        let expected = try Self.expected("\(capture).expected.json")["calls"] as! [[String: Any]]
        let calls = try Self.calls(["-r", "captures/\(capture).pcap"])
        let grpc = calls.filter { ($0["protocol"] as? String ?? "").hasPrefix("grpc-web") }
        let wanted = expected.filter { ($0["http_method"] as? String ?? "POST") == "POST" }
        #expect(grpc.count == wanted.count, "\(capture): \(grpc.count) gRPC-Web calls for \(wanted.count)")
        for (call, want) in zip(grpc, wanted) {
            let response = want["response"] as? [String: Any] ?? [:]
            #expect(call["method"] as? String == want["path"] as? String)
            #expect(Self.messages(call, "requests") == ((want["request_message_hex"] as? String).map { [$0] } ?? []), "\(capture) \(want["note"] ?? "")")
            #expect(Self.messages(call, "responses") == (response["messages_hex"] as? [String] ?? []), "\(capture) \(want["note"] ?? "")")
            #expect(Self.statusCode(call) == response["grpc_status"] as? Int, "\(capture) \(want["note"] ?? ""): status")
            let textual = ((want["request_headers"] as? [[String]]) ?? []).contains { $0.first?.lowercased() == "content-type" && $0.last == "application/grpc-web-text" }
            if textual { #expect(call["protocol"] as? String == "grpc-web-text") }
        }
        // A CORS preflight is an exchange of its own, not a call.
        if expected.contains(where: { $0["http_method"] as? String == "OPTIONS" }) {
            #expect(calls.contains { ($0["protocol"] as? String) == "http1" || ($0["protocol"] as? String) == "http2" })
        }
    }
}
