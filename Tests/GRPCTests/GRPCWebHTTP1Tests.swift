import Analysis
import Capture
import GRPC
import Packet
import Testing
import TestSupport

/// gRPC-Web over HTTP/1.1 built byte by byte: a keep-alive connection with a binary call, a
/// text call with a chunked response, and a CORS preflight, cut into segments of every size.
@Suite struct GRPCWebHTTP1Tests {
    static func request(_ method: String, path: String, contentType: String?, body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: example.test:8080\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\nX-Grpc-Web: 1\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// gRPC doc "PROTOCOL-WEB.md": a message frame (flag 0) and a trailers frame (flag 0x80).
    static func frame(_ flag: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [flag] + PacketBuilder.be32(UInt32(payload.count)) + payload
    }

    static func chunked(_ body: [UInt8], pieces: Int) -> [UInt8] {
        var out: [UInt8] = []
        let size = max(1, body.count / pieces)
        for start in stride(from: 0, to: body.count, by: size) {
            let chunk = body[start..<min(start + size, body.count)]
            out += Array("\(String(chunk.count, radix: 16));ext=1\r\n".utf8) + chunk + Array("\r\n".utf8)
        }
        return out + Array("0\r\nX-Trailer: ignored\r\n\r\n".utf8)
    }

    static func conversation(segment size: Int) -> [CapturedPacket] {
        var c = TCPConversation(client: .init(.init("10.0.0.1")!, 40000), server: .init(.init("10.0.0.2")!, 8080))
        let trailersOK = frame(0x80, Array("grpc-status: 0\r\ngrpc-message: \r\n".utf8))
        let user: [UInt8] = [0x08, 0x01, 0x12, 0x03, 0x61, 0x64, 0x61]
        let client = request("OPTIONS", path: "/pkg.S/Get", contentType: nil, body: [])
            + request("POST", path: "/pkg.S/Get", contentType: "application/grpc-web+proto", body: frame(0, [0x08, 0x01]))
            + request("POST", path: "/pkg.S/List", contentType: "application/grpc-web-text", body: Array(Base64Text.encode(frame(0, [0x08, 0x02])).utf8))
        let textBody = Array((Base64Text.encode(frame(0, user)) + Base64Text.encode(frame(0, user) + trailersOK)).utf8)
        let server = Array("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n".utf8)
            + Array("HTTP/1.1 200 OK\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: \(frame(0, user).count + trailersOK.count)\r\n\r\n".utf8)
            + frame(0, user) + trailersOK
            + Array("HTTP/1.1 200 OK\r\nContent-Type: application/grpc-web-text\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + chunked(textBody, pieces: 3)
        var packets = c.handshake()
        // The client's requests are pipelined: all sent before the first response.
        for start in stride(from: 0, to: client.count, by: size) { packets.append(c.send(.client, Array(client[start..<min(start + size, client.count)]))) }
        for start in stride(from: 0, to: server.count, by: size) { packets.append(c.send(.server, Array(server[start..<min(start + size, server.count)]))) }
        return packets + [c.fin(.client), c.fin(.server), c.ack(.client)]
    }

    @Test(arguments: [1, 2, 3, 7, 16, 100, 1460])
    func everySegmentSizeGivesTheSameCalls(size: Int) {
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(CaptureFileBuilder.pcap(Self.conversation(segment: size)), into: &events)
        session.finish(into: &events)
        let calls = events.compactMap { if case let .call(call) = $0 { call } else { nil } }
        #expect(calls.map(\.callProtocol) == [.http1, .grpcWeb, .grpcWebText], "segments of \(size)")
        #expect(calls.map(\.path) == ["/pkg.S/Get", "/pkg.S/Get", "/pkg.S/List"])
        #expect(calls[0].httpStatus == 204 && calls[0].status == nil)
        #expect(calls[1].requests.map(\.bytes) == [[0x08, 0x01]] && calls[1].responses.count == 1 && calls[1].status?.code == .ok)
        #expect(calls[1].authority == "example.test:8080")
        #expect(calls[2].requests.map(\.bytes) == [[0x08, 0x02]] && calls[2].responses.count == 2 && calls[2].status?.code == .ok, "\(calls[2].warnings)")
        #expect(calls.allSatisfy { !$0.incomplete && $0.warnings.isEmpty }, "\(calls.map(\.warnings))")
        // The call summary's configuration (no header fields kept) reads the trailers frames' status.
        var summary = Analyzer.Configuration()
        summary.calls.keepsHeaderFields = false
        var reduced = CaptureSession(configuration: summary), reducedEvents: [AnalysisEvent] = []
        reduced.feed(CaptureFileBuilder.pcap(Self.conversation(segment: size)), into: &reducedEvents)
        reduced.finish(into: &reducedEvents)
        let reducedCalls = reducedEvents.compactMap { if case let .call(call) = $0 { call } else { nil } }
        #expect(reducedCalls.map(\.status) == calls.map(\.status) && reducedCalls.map(\.path) == calls.map(\.path))
        #expect(reducedCalls.map { $0.trailers.map(\.name) } == [[], ["grpc-status", "grpc-message"], ["grpc-status", "grpc-message"]])
    }
}

/// RFC 4648 §4 base64 for the tests' text bodies.
enum Base64Text {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = Array(bytes[start..<min(start + 3, bytes.count)]) + [0, 0]
            let bits = UInt32(chunk[0]) << 16 | UInt32(chunk[1]) << 8 | UInt32(chunk[2])
            let count = min(3, bytes.count - start)
            for index in 0..<4 { out.append(index <= count ? alphabet[Int(bits >> (18 - 6 * index) & 63)] : "=") }
        }
        return out
    }
}
