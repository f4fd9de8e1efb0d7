import Analysis
import Capture
import GRPC
import HTTP2
import HTTPExchange
import Testing
import TestSupport
import WireCore
import Zlib

typealias F = HTTP2FrameBuilder

func calls(_ packets: [CapturedPacket], configuration: Analyzer.Configuration = Analyzer.Configuration()) -> [GRPCCall] {
    analysisEvents(packets, configuration: configuration).compactMap { if case let .call(call) = $0 { call } else { nil } }
}

func analysisEvents(_ packets: [CapturedPacket], configuration: Analyzer.Configuration = Analyzer.Configuration()) -> [AnalysisEvent] {
    var session = CaptureSession(configuration: configuration)
    var events: [AnalysisEvent] = []
    session.feed(CaptureFileBuilder.pcap(packets), into: &events)
    session.finish(into: &events)
    return events
}

let requestHeaders: [(String, String)] = [
    (":method", "POST"), (":scheme", "http"), (":path", "/userservice.UserService/GetUser"), (":authority", "localhost:50051"),
    ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "1500m"), ("grpc-accept-encoding", "gzip,deflate"),
    ("user-agent", "grpc-test/1.0"), ("x-trace-bin", "AAEC"),
]
let responseHeaders: [(String, String)] = [(":status", "200"), ("content-type", "application/grpc")]

/// A connection with the preface and SETTINGS exchanged, ready for streams.
func connection() -> (TCPConversation, [CapturedPacket]) {
    var c = TCPConversation()
    let packets = c.handshake() + [c.send(.client, F.preface + F.settings()), c.send(.server, F.settings() + F.settings(ack: true)),
                                   c.send(.client, F.settings(ack: true))]
    return (c, packets)
}

@Suite struct CallAssemblyTests {
    @Test func unaryCall() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))
            + F.data(stream: 1, grpcMessage([0x08, 0x2A]), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders))
            + F.data(stream: 1, grpcMessage([0x0A, 0x03] + Array("ann".utf8)))
            + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0"), ("grpc-message", "")]), endStream: true)))
        let result = calls(packets)
        try #require(result.count == 1)
        let call = result[0]
        #expect(call.path == "/userservice.UserService/GetUser")
        #expect(call.serviceAndMethod?.service == "userservice.UserService" && call.serviceAndMethod?.method == "GetUser")
        #expect(call.authority == "localhost:50051" && call.callProtocol == .grpc && call.userAgent == "grpc-test/1.0")
        #expect(call.timeoutNanoseconds == 1_500_000_000 && call.acceptEncoding == "gzip,deflate" && call.requestEncoding == nil)
        #expect(call.requests.map(\.bytes) == [[0x08, 0x2A]])
        #expect(call.responses.map(\.bytes) == [[0x0A, 0x03] + Array("ann".utf8)])
        #expect(call.status?.code == .ok && call.status?.source == .trailers)
        #expect(call.httpStatus == 200 && !call.trailersOnly && !call.incomplete && call.warnings.isEmpty)
        #expect(call.firstResponseTime != nil && call.latencyNanoseconds == 1_000_000)
    }

    /// Messages straddling DATA frames and TCP segments, several per frame, and empty ones: the
    /// response stream is cut at every byte boundary.
    @Test func messagesAcrossFramesAndSegmentsAtEverySplit() throws {
        let messages: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 7, count: 40), [9]]
        let stream = messages.flatMap { grpcMessage($0) }
        for split in 1..<stream.count {
            var (c, packets) = connection()
            packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))
                + F.data(stream: 1, grpcMessage([]), endStream: true)))
            packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders))
                + F.data(stream: 1, Array(stream[..<split]))))
            packets.append(c.send(.server, F.data(stream: 1, Array(stream[split...]))
                + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)))
            let result = calls(packets)
            #expect(result.first?.responses.map(\.bytes) == messages, "split at \(split)")
            #expect(result.first?.requests.map(\.bytes) == [[]])
        }
    }

    @Test(arguments: [("gzip", Deflater.Format.gzip), ("deflate", .zlib)])
    func compressedMessages(encoding: String, format: Deflater.Format) throws {
        let payload = Array(String(repeating: "compress me ", count: 50).utf8)
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders + [("grpc-encoding", encoding)]))
            + F.data(stream: 1, grpcMessage(Deflater.compress(payload, format: format), compressed: true), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders), endStream: false)
            + F.data(stream: 1, grpcMessage([1, 2, 3], compressed: true))  // corrupt, and no grpc-encoding in the response
            + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)))
        let call = try #require(calls(packets).first)
        #expect(call.requests.first?.bytes == payload)
        #expect(call.requests.first!.wireBytes.count < payload.count)
        #expect(call.responses.first?.bytes == nil)
        #expect(call.responses.first?.problem?.hasPrefix("compressed flag set but grpc-encoding is absent") == true)
    }

    @Test func trailersOnlyErrorWithMessageAndDetails() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))
            + F.data(stream: 1, grpcMessage([]), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [
            ("grpc-status", "5"), ("grpc-message", "user %2742%27 not found %E2%9C%97"), ("grpc-status-details-bin", "CAUSCW5vdCBmb3VuZA"),
        ]), endStream: true)))
        let call = try #require(calls(packets).first)
        #expect(call.trailersOnly)
        #expect(call.status?.code == .notFound && call.status?.code.description == "NOT_FOUND")
        #expect(call.status?.message == "user '42' not found ✗")
        #expect(call.status?.details == [0x08, 0x05, 0x12, 0x09] + Array("not found".utf8))
        #expect(call.responses.isEmpty && call.warnings.isEmpty)
    }

    @Test func badPercentEncodingAndBadBase64AreWarningsNotFailures() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [
            ("grpc-status", "13"), ("grpc-message", "100%zz done %"), ("grpc-status-details-bin", "not*base64"),
        ]), endStream: true)))
        let call = try #require(calls(packets).first)
        #expect(call.status?.code == .internal && call.status?.message == "100%zz done %")
        #expect(call.status?.details == nil)
        #expect(call.warnings.count == 2)
    }

    @Test func resetStreamIsCancelled() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders)) + F.data(stream: 1, grpcMessage([1]))))
        packets.append(c.send(.client, F.rstStream(stream: 1, code: 8)))
        let call = try #require(calls(packets).first)
        #expect(call.status?.code == .cancelled && call.status?.source == .reset)
        #expect(call.resetCode == .cancel)
    }

    /// RFC 9113 §6.8: a server's GOAWAY names the last stream it processed; a call above it that
    /// got no status was not processed (UNAVAILABLE, which clients retry); below it, or with a
    /// status, a call is what it was. A graceful shutdown's first GOAWAY (2^31-1) refuses nothing.
    @Test func callsAboveTheServersGoawayWereNotProcessed() throws {
        var (c, packets) = connection()
        func ok(_ stream: UInt32) -> [UInt8] {
            F.headers(stream: stream, block: LiteralHeaderBlock.encode(responseHeaders)) + F.data(stream: stream, grpcMessage([]))
                + F.headers(stream: stream, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)
        }
        func ask(_ stream: UInt32) -> [UInt8] {
            F.headers(stream: stream, block: LiteralHeaderBlock.encode(requestHeaders)) + F.data(stream: stream, grpcMessage([0x08, 0x01]), endStream: true)
        }
        packets.append(c.send(.client, ask(1) + ask(3)))
        packets.append(c.send(.server, F.goaway(lastStream: 0x7FFF_FFFF, code: 0) + ok(1)))
        packets.append(c.send(.client, ask(5) + ask(7)))
        packets.append(c.send(.server, F.goaway(lastStream: 5, code: 0, debug: "graceful_stop") + ok(3) + ok(7)))
        var (later, laterPackets) = (c, packets)  // the same connection, going on below
        packets.append(c.fin(.server))
        for summary in [false, true] {
            var configuration = Analyzer.Configuration()
            configuration.calls.keepsHeaderFields = !summary
            configuration.calls.keepsMessageBodies = !summary
            let result = calls(packets, configuration: configuration).sorted { $0.streamID < $1.streamID }
            try #require(result.map(\.streamID) == [1, 3, 5, 7])
            // 1 and 3 answered; 5 processed (at the last stream) but cut off by the close; 7 above it,
            // answered against the rule: its own status stands.
            #expect(result[0].status?.code == .ok && result[1].status?.code == .ok && result[3].status?.code == .ok)
            #expect(result[2].status == nil && result[2].incomplete)
        }
        // Stream 9, opened after the GOAWAY and never answered: not processed; stream 11, answered
        // with headers but no status before the close: what it was (incomplete), not refused.
        laterPackets.append(later.send(.client, ask(9) + ask(11)))
        laterPackets.append(later.send(.server, F.headers(stream: 11, block: LiteralHeaderBlock.encode(responseHeaders))))
        laterPackets.append(later.fin(.server))
        let after = calls(laterPackets)
        let partly = try #require(after.first { $0.streamID == 11 })
        #expect(partly.status == nil && partly.incomplete && partly.httpStatus == 200)
        let refused = try #require(after.first { $0.streamID == 9 })
        #expect(refused.status?.code == .unavailable && refused.status?.source == .goaway && !refused.incomplete)
        #expect(refused.status?.message?.hasPrefix(#"not processed: the server's GOAWAY (last stream 5, NO_ERROR "graceful_stop", packet "#) == true, "\(refused.status?.message ?? "")")
    }

    @Test func httpErrorWithoutGRPCStatusIsMapped() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode([(":status", "503"), ("content-type", "text/plain")]))
            + F.data(stream: 1, Array("overloaded".utf8), endStream: true)))
        let call = try #require(calls(packets).first)
        #expect(call.status?.code == .unavailable && call.status?.source == .httpStatus)
    }

    @Test func callsStillOpenAtTheEndAreIncomplete() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders)) + F.data(stream: 1, Array(grpcMessage([1, 2, 3, 4]).prefix(7)))))
        let call = try #require(calls(packets).first)
        #expect(call.incomplete && call.status == nil)
        // Preface (24), SETTINGS (9), SETTINGS ACK (9), HEADERS (9 + block), DATA header (9).
        let offset = 24 + 9 + 9 + 9 + LiteralHeaderBlock.encode(requestHeaders).count + 9
        #expect(call.warnings.map(\.message) == ["client message at stream offset \(offset) cut short: 7 of 9 bytes"])
        #expect(call.warnings.map(\.code) == ["grpc.message.cut-short"] && call.warnings.first?.span == ByteSpan(start: Int(offset), count: 7))
    }

    /// Streams opened and never closed (an attacker's, or a client's that never ends them): past
    /// `maxOpenCalls` the oldest open call is reported unfinished, with a warning, so that memory
    /// stays bounded; calls that do end are not touched, and nothing else is lost.
    @Test func pastTheOpenCallLimitTheOldestIsReportedUnfinished() throws {
        var (c, packets) = connection()
        // Streams 1, 3, 5, 7, 9 open and stay open; stream 11 is a whole call.
        for stream in stride(from: 1, through: 9, by: 2) {
            packets.append(c.send(.client, F.headers(stream: UInt32(stream), block: LiteralHeaderBlock.encode(requestHeaders))))
        }
        packets.append(c.send(.client, F.headers(stream: 11, block: LiteralHeaderBlock.encode(requestHeaders)) + F.data(stream: 11, grpcMessage([1]), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 11, block: LiteralHeaderBlock.encode(responseHeaders))
            + F.headers(stream: 11, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)))
        var configuration = Analyzer.Configuration()
        configuration.calls.maxOpenCalls = 3
        let result = calls(packets, configuration: configuration)
        // Opening 7 evicts 1, opening 9 evicts 3, opening 11 evicts 5; 11 ends; 7 and 9 end with the capture.
        #expect(result.map(\.streamID) == [1, 3, 5, 11, 7, 9])
        let evicted = result.filter { $0.warnings.contains { $0.code == "grpc.call.evicted" } }
        #expect(evicted.map(\.streamID) == [1, 3, 5] && evicted.allSatisfy { $0.incomplete && $0.status == nil })
        #expect(evicted.first?.warnings.first?.message.hasPrefix("3 calls were open at once on this connection at packet ") == true)
        #expect(result.first { $0.streamID == 11 }?.status?.code == .ok)
        // Without the limit, the same capture reports every call without that warning.
        let unlimited = calls(packets)
        #expect(unlimited.map(\.streamID) == [11, 1, 3, 5, 7, 9] && !unlimited.contains { $0.warnings.contains { $0.code == "grpc.call.evicted" } })
    }

    /// A message cut inside its 5-byte prefix: its length was never known.
    @Test func aMessageCutInsideItsPrefix() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))
            + F.data(stream: 1, grpcMessage([5]) + [0, 0, 0])))
        let call = try #require(calls(packets).first)
        #expect(call.requests.map(\.bytes) == [[5]])
        let offset = 24 + 9 + 9 + 9 + LiteralHeaderBlock.encode(requestHeaders).count + 9 + 6
        #expect(call.warnings.map(\.message) == ["client message at stream offset \(offset) cut short: 3 of an unknown number of bytes"])
    }

    /// The call summary keeps no header fields: what a call is read from them (path, authority,
    /// content-type, encodings, timeout, HTTP status, status from trailers, from a Trailers-Only
    /// response or from the response headers; warnings) is the same, and of the response's fields
    /// only the status's are kept.
    @Test func withoutHeaderFieldsTheCallIsReadTheSame() throws {
        var (c, packets) = connection()
        let payload = Array(String(repeating: "compress me ", count: 20).utf8)
        let gzipped = Deflater.compress(payload, format: .gzip)
        // 1: compressed both ways, the response's grpc-encoding absent (a problem, not a guess:
        // its header fields were seen), a trailer beside the status.
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders + [("grpc-encoding", "gzip")]))
            + F.data(stream: 1, grpcMessage(gzipped, compressed: true), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [("x-served-by", "a")]))
            + F.data(stream: 1, grpcMessage(gzipped, compressed: true))
            + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0"), ("grpc-message", "fine"), ("x-cost", "3")]), endStream: true)))
        // 3: Trailers-Only with message and details.
        packets.append(c.send(.client, F.headers(stream: 3, block: LiteralHeaderBlock.encode(requestHeaders), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 3, block: LiteralHeaderBlock.encode(responseHeaders + [
            ("grpc-status", "5"), ("grpc-message", "not%20here"), ("grpc-status-details-bin", "CAUSCW5vdCBmb3VuZA"),
        ]), endStream: true)))
        // 5: a bad timeout, a second client header block, the status in the response headers
        // of a response without trailers.
        packets.append(c.send(.client, F.headers(stream: 5, block: LiteralHeaderBlock.encode([(":path", "/pkg.S/M"), ("grpc-timeout", "soon")]))
            + F.headers(stream: 5, block: LiteralHeaderBlock.encode([("x-late", "1")]), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 5, block: LiteralHeaderBlock.encode([(":status", "200"), ("content-type", "application/grpc+proto"), ("grpc-status", "7")]))
            + F.data(stream: 5, grpcMessage([0x08, 0x01]), endStream: true)))
        var summary = Analyzer.Configuration()
        summary.calls.keepsHeaderFields = false
        let full = calls(packets), reduced = calls(packets, configuration: summary)
        try #require(full.count == 3 && reduced.count == 3)
        for (a, b) in zip(reduced, full) {
            #expect(a.path == b.path && a.authority == b.authority && a.contentType == b.contentType && a.callProtocol == b.callProtocol)
            #expect(a.timeoutNanoseconds == b.timeoutNanoseconds && a.userAgent == b.userAgent && a.acceptEncoding == b.acceptEncoding)
            #expect(a.requestEncoding == b.requestEncoding && a.responseEncoding == b.responseEncoding && a.httpStatus == b.httpStatus)
            #expect(a.status == b.status && a.trailersOnly == b.trailersOnly && a.warnings == b.warnings)
            #expect(a.requests.map(\.bytes) == b.requests.map(\.bytes) && a.responses.map(\.bytes) == b.responses.map(\.bytes))
            #expect(a.responses.map(\.problem) == b.responses.map(\.problem))
            #expect(a.requestHeaders.isEmpty)
        }
        #expect(full[0].trailers.map(\.name) == ["grpc-status", "grpc-message", "x-cost"] && full[0].responseHeaders.count == 3)
        #expect(reduced[0].trailers.map(\.name) == ["grpc-status", "grpc-message"] && reduced[0].responseHeaders.isEmpty)
        #expect(reduced[0].requests.first?.bytes == payload && reduced[0].responses.first?.problem?.hasPrefix("compressed flag set but grpc-encoding is absent") == true)
        #expect(reduced[1].status?.code == .notFound && reduced[1].status?.message == "not here" && reduced[1].status?.details?.count == 13)
        #expect(reduced[1].trailers.map(\.name) == ["grpc-status", "grpc-message", "grpc-status-details-bin"])
        #expect(reduced[2].status?.code == .permissionDenied && reduced[2].responseHeaders.map(\.name) == ["grpc-status"])
        #expect(reduced[2].warnings.map(\.code) == ["grpc.timeout.invalid", "grpc.headers.client-trailers"] && full[2].requestHeaders.count == 3)
    }

    /// A view that shows only calls asks for no layer detail and no frame notes: the calls are the
    /// same, only connection events come with them, and a large message arriving in many DATA
    /// frames is assembled whole.
    @Test func callsOnlyConfigurationGivesTheSameCalls() throws {
        var (c, packets) = connection()
        let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let stream = grpcMessage(large) + grpcMessage([0x08, 0x01])
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))))
        for start in stride(from: 0, to: stream.count, by: 16_384) {
            let end = min(start + 16_384, stream.count)
            packets.append(c.send(.client, F.data(stream: 1, Array(stream[start..<end]), endStream: end == stream.count)))
        }
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [("grpc-status", "0")]), endStream: true)))
        var callsOnly = Analyzer.Configuration()
        callsOnly.reportsLayerDetail = false
        callsOnly.describesFrames = false
        let events = analysisEvents(packets, configuration: callsOnly)
        let kept = events.map { event -> String in
            switch event {
            case let .tcp(tcp): "tcp.\(tcp)".prefix(while: { $0 != "(" }).description
            case .call: "call"
            default: "other"
            }
        }
        #expect(kept == ["tcp.opened", "call", "tcp.closed"])
        let full = calls(packets)
        let reduced = events.compactMap { if case let .call(call) = $0 { call } else { nil } }
        #expect(reduced.map(\.requests.count) == [2] && full.map(\.requests.count) == [2])
        #expect(reduced.first?.requests.first?.bytes == large && reduced.first?.requests.last?.bytes == [0x08, 0x01])
        #expect(reduced.map(\.status?.code) == full.map(\.status?.code) && reduced.map(\.warnings) == full.map(\.warnings))
    }

    /// The call summary's configuration: messages counted with their lengths and packets, their
    /// bytes neither kept nor decompressed, on a call whose HEADERS were captured or not.
    @Test func withoutBodiesMessagesAreCountedNotKept() throws {
        let payload = Array(String(repeating: "compress me ", count: 50).utf8)
        let compressed = Deflater.compress(payload, format: .gzip)
        let responses = grpcMessage(Array(repeating: 7, count: 40)) + grpcMessage([]) + grpcMessage([1, 2, 3], compressed: true)
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders + [("grpc-encoding", "gzip")]))
            + F.data(stream: 1, grpcMessage(compressed, compressed: true), endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders))
            + F.data(stream: 1, Array(responses[..<20]))))
        packets.append(c.send(.server, F.data(stream: 1, Array(responses[20...]))
            + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)))
        // Stream 3's HEADERS were not captured: its method is not known.
        packets.append(c.send(.client, F.data(stream: 3, grpcMessage([0x08, 0x2A]), endStream: true)))
        packets.append(c.send(.server, F.data(stream: 3, grpcMessage([0x08, 0x01]))
            + F.headers(stream: 3, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)))
        var countingOnly = Analyzer.Configuration()
        countingOnly.calls.keepsMessageBodies = false
        let full = calls(packets), counted = calls(packets, configuration: countingOnly)
        try #require(full.count == 2 && counted.count == 2)
        let known = counted[0], unknown = counted[1]
        #expect(known.path != nil && unknown.path == nil)
        for (a, b) in zip(counted, full) {
            #expect(a.requests.map(\.declaredLength) == b.requests.map(\.declaredLength))
            #expect(a.responses.map(\.declaredLength) == b.responses.map(\.declaredLength))
            #expect(a.responses.map(\.packet) == b.responses.map(\.packet) && a.responses.map(\.streamOffset) == b.responses.map(\.streamOffset))
            #expect(a.status?.code == b.status?.code && a.warnings == b.warnings)
        }
        #expect(known.requests.map(\.declaredLength) == [compressed.count] && known.responses.map(\.declaredLength) == [40, 0, 3])
        #expect(known.requests.first?.compressed == true && known.responses.map(\.compressed) == [false, false, true])
        #expect([known.requests, known.responses].joined().allSatisfy { $0.wireBytes.isEmpty && $0.bytes == nil && $0.problem == nil })
        #expect([unknown.requests, unknown.responses].joined().allSatisfy { $0.wireBytes.isEmpty && $0.bytes == nil && $0.problem == nil })
        #expect(full[0].requests.first?.bytes == payload)
        #expect(full[1].requests.map(\.bytes) == [[0x08, 0x2A]] && full[1].responses.map(\.bytes) == [[0x08, 0x01]])
    }

    @Test func aMessageOverGRPCsDefaultReceiveLimitIsNotedOnceADirection() throws {
        let limit = 4 << 20  // 4 MiB: grpc-go, grpc-java, gRPC core and grpc-swift by default
        func data(_ stream: UInt32, _ bytes: [UInt8], endStream: Bool) -> [UInt8] {
            stride(from: 0, to: bytes.count, by: 16_384).flatMap { start in
                F.data(stream: stream, Array(bytes[start..<min(start + 16_384, bytes.count)]), endStream: endStream && start + 16_384 >= bytes.count)
            }
        }
        var (c, packets) = connection()
        // Two requests a byte over the limit; a response exactly at it.
        let over = grpcMessage([UInt8](repeating: 0, count: limit + 1)), at = grpcMessage([UInt8](repeating: 0, count: limit))
        var wire = F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders)) + data(1, over + over, endStream: true)
        while !wire.isEmpty { packets.append(c.send(.client, Array(wire.prefix(60_000)))); wire.removeFirst(min(60_000, wire.count)) }
        wire = F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders)) + data(1, at, endStream: false)
            + F.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "8")]), endStream: true)
        while !wire.isEmpty { packets.append(c.send(.server, Array(wire.prefix(60_000)))); wire.removeFirst(min(60_000, wire.count)) }
        var countingOnly = Analyzer.Configuration()
        countingOnly.calls.keepsMessageBodies = false
        for call in [try #require(calls(packets).first), try #require(calls(packets, configuration: countingOnly).first)] {
            #expect(call.requests.map(\.declaredLength) == [limit + 1, limit + 1] && call.responses.map(\.declaredLength) == [limit])
            let notes = call.warnings.filter { $0.code == "grpc.message.over-default-limit" }
            #expect(notes.count == 1 && notes.first?.severity == .note, "\(call.warnings)")
            #expect(notes.first?.message.hasPrefix("client message of 4194305 bytes (packet ") == true, "\(notes)")
        }
    }

    @Test func hostileMessageLengthIsSkippedAndTheRestDecoded() throws {
        var (c, packets) = connection()
        packets.append(c.send(.client, F.headers(stream: 1, block: LiteralHeaderBlock.encode(requestHeaders))
            + F.data(stream: 1, [0, 0x7F, 0xFF, 0xFF, 0xFF] + [1, 2, 3], endStream: true)))
        packets.append(c.send(.server, F.headers(stream: 1, block: LiteralHeaderBlock.encode(responseHeaders + [("grpc-status", "0")]), endStream: true)))
        let call = try #require(calls(packets).first)
        #expect(call.requests.isEmpty)
        #expect(call.warnings.contains { $0.code == "grpc.message.too-large" && $0.message.contains("declares 2147483647 bytes, over the 67108864-byte limit; skipped") })
        // The skipped message is also cut short: 5 + 3 of its bytes arrived.
        #expect(call.warnings.contains { $0.message.hasSuffix("cut short: 8 of 2147483652 bytes") })
    }
}
