import Foundation
import Testing

/// grpc-go's traffic (Debian golang-google-grpc-dev 1.33, Go 1.19): its client and server of the
/// interop service, grpc.testing.TestService, ran nine calls on loopback, then the server stopped
/// gracefully (scripts/tls-fixtures/make_grpcgo_captures.sh, the program in scripts/tls-fixtures/grpc-go).
/// The expectations are what that program asked for and what its client printed; the messages are
/// decoded with the bundled interop schemas (dissectors/grpc/testing) and no option.
@Suite(.timeLimit(.minutes(3))) struct GRPCGoTrafficTests {
    static let capture = "captures/grpc-go-h2c.pcap"

    /// grpc-go's `payload(size)`: "grpc-go " repeated, cut to `size` bytes, as proto3 JSON's base64.
    static func body(_ size: Int) -> String {
        Data(String(repeating: "grpc-go ", count: size / 8 + 1).utf8.prefix(size)).base64EncodedString()
    }

    static func json(_ message: Any?) -> [String: Any] { ((message as? [String: Any])?["json"] as? [String: Any]) ?? [:] }

    @Test func everyCallAsTheClientSawIt() throws {
        let calls = try RealCaptureTests.calls(["-r", Self.capture])
        // The client's calls in order: method, the status it printed, messages each way.
        let expected: [(method: String, code: Int, requests: Int, responses: Int)] = [
            ("EmptyCall", 0, 1, 1), ("UnaryCall", 0, 1, 1), ("UnaryCall", 0, 1, 1), ("UnaryCall", 0, 1, 1),
            ("UnaryCall", 9, 1, 0), ("UnaryCall", 4, 1, 0),
            ("StreamingOutputCall", 0, 1, 4), ("StreamingInputCall", 0, 3, 1), ("FullDuplexCall", 0, 3, 3),
        ]
        try #require(calls.count == expected.count)
        for (call, want) in zip(calls, expected) {
            #expect(call["method"] as? String == "/grpc.testing.TestService/" + want.method)
            #expect(RealCaptureTests.statusCode(call) == want.code, "\(want.method): \(call["status"] ?? "")")
            #expect((call["requests"] as? [Any])?.count == want.requests && (call["responses"] as? [Any])?.count == want.responses, "\(want.method)")
            #expect((call["request_headers"] as? [String: [String]])?["user-agent"] == ["grpc-go/1.33.3"])
            #expect(call["incomplete"] as? Bool == false)
        }

        // A unary call: every message named by the bundled schemas and decoded field by field.
        let unary = calls[1]
        let request = Self.json((unary["requests"] as? [Any])?.first)
        #expect(request["responseSize"] as? Int == 64 && request["fillUsername"] as? Bool == true)
        #expect((request["payload"] as? [String: Any])?["body"] as? String == Self.body(32))
        let response = Self.json((unary["responses"] as? [Any])?.first)
        #expect(response["username"] as? String == "grpc-go-user")
        #expect((response["payload"] as? [String: Any])?["body"] as? String == Self.body(64))
        // Metadata the client and server added, binary values as sent (base64 without padding).
        #expect((unary["request_headers"] as? [String: [String]])?["x-trace-bin"] == ["3q2+7w"])
        #expect((unary["trailers"] as? [String: [String]])?["x-bin-bin"] == ["AAEC"])

        // gzip both ways (grpc.UseCompressor("gzip")): inflated and decoded.
        let gzip = calls[2]
        let compressed = try #require((gzip["requests"] as? [[String: Any]])?.first)
        #expect(compressed["compressed"] as? Bool == true && compressed["decompressed_length"] as? Int == 4105)
        #expect((Self.json(compressed)["payload"] as? [String: Any])?["body"] as? String == Self.body(4096))
        let inflated = try #require((gzip["responses"] as? [[String: Any]])?.first)
        #expect(inflated["compressed"] as? Bool == true && (Self.json(inflated)["payload"] as? [String: Any])?["body"] as? String == Self.body(4096))

        // 70,000 bytes asked for: more than the 65,535-byte initial windows.
        let large = try #require((calls[3]["responses"] as? [[String: Any]])?.first)
        #expect((Self.json(large)["payload"] as? [String: Any])?["body"] as? String == Self.body(70_000))

        // The failure's status details: google.rpc.ErrorInfo, as the server attached it.
        let failure = try #require(calls[4]["status"] as? [String: Any])
        #expect(failure["message"] as? String == "the payload asked for a failure" && calls[4]["trailers_only"] as? Bool == true)
        let detail = try #require((failure["details"] as? [[String: Any]])?.first)
        #expect(detail["@type"] as? String == "type.googleapis.com/google.rpc.ErrorInfo")
        #expect(detail["reason"] as? String == "ASKED_TO_FAIL" && detail["domain"] as? String == "interop.example")
        #expect(detail["metadata"] as? [String: String] == ["size": "7"])

        // The 200 ms deadline: sent as grpc-timeout, ended by the client's RST_STREAM.
        let late = calls[5]
        let status = try #require(late["status"] as? [String: Any])
        #expect(status["source"] as? String == "rst_stream")
        let timeout = try #require(late["timeout_ns"] as? Int)
        #expect((190_000_000...200_000_000).contains(timeout))
        #expect((late["latency_ns"] as? Int ?? 0) >= 200_000_000)

        // Streaming: the server's sum of the client's three payloads (5 + 50 + 500).
        #expect(Self.json((calls[7]["responses"] as? [Any])?.first)["aggregatedPayloadSize"] as? Int == 555)
        let sizes = (calls[6]["responses"] as? [Any] ?? []).map { ((Self.json($0)["payload"] as? [String: Any])?["body"] as? String).flatMap { Data(base64Encoded: $0) }?.count }
        #expect(sizes == [10, 20, 30, 2000])
    }

    @Test func flowControlAsGrpcGoDrivesIt() throws {
        let result = try CommandRunner.grpcdump(["-r", Self.capture, "--layer", "http2"])
        #expect(result.status == 0)
        // The large response fills the connection window; the client then opens the stream's
        // window by the message's size and, from its bandwidth estimate, raises its windows.
        #expect(result.stdout.contains("window left: connection 0, stream 0\n        sender blocked: connection window exhausted"), "\(result.stdout)")
        #expect(result.stdout.contains("stream 7 window 0 → 70022 (+70022)"))
        #expect(result.stdout.contains("INITIAL_WINDOW_SIZE = 131070"))
        // Its pings carry the data grpc-go's bandwidth-delay estimator sends (bdp_estimator.go).
        #expect(result.stdout.contains("stream 0 PING len 8\n        opaque data 0x02041010090e0707 (grpc-go's bandwidth-delay estimation ping)"))
        // The server stops gracefully while the client is connected: GOAWAY at 2^31-1, then the
        // ping grpc-go sends before its final GOAWAY (the client closes first).
        #expect(result.stdout.contains("stream 0 GOAWAY len 8\n        last stream 2147483647, error NO_ERROR\n"))
        #expect(result.stdout.contains("opaque data 0x0106010800030309 (grpc-go's ping before a graceful GOAWAY)"))
        // Nothing grpc-go sent breaks a rule of RFC 9113 (a broken rule is a "!" line).
        #expect(!result.stdout.contains("\n        ! ") && !result.stderr.contains("violation"), "\(result.stderr)")
    }

    @Test func overIPv6TheSameCalls() throws {
        let v6 = "captures/grpc-go-ipv6.pcap"
        let diff = try CommandRunner.grpcdump(["diff", Self.capture, v6, "--ignore-header", ":authority", "--ignore-header", "grpc-timeout",
                                               "--latency-threshold", "1000000"])
        #expect(diff.status == 0 && diff.stdout.contains("9 paired (9 same, 0 different), 0 only in A, 0 only in B"), "\(diff.stdout)")
        // Endpoints in brackets, the address filter and the capture filter on IPv6.
        let calls = try RealCaptureTests.calls(["-r", v6, "--host", "::1"])
        #expect(calls.count == 9)
        #expect(calls.allSatisfy { ($0["client"] as? String)?.hasPrefix("[::1]:") == true && $0["server"] as? String == "[::1]:50213" })
        #expect(try CommandRunner.grpcdump(["-r", v6, "ip6 and tcp port 50213"]).stdout.split(separator: "\n").count == 9)
        #expect(try CommandRunner.grpcdump(["-r", v6, "ip"]).stdout.isEmpty)
        let export = try CommandRunner.grpcdump(["-r", v6, "--export", "grpcurl", "--method", "*EmptyCall"])
        #expect(export.stdout.contains("-d '{}' '[::1]:50213' grpc.testing.TestService/EmptyCall"), "\(export.stdout)")
    }
}
