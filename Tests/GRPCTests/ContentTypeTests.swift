@testable import GRPC
import Testing

/// Content types (gRPC doc "PROTOCOL-HTTP2.md" Content-Type, "PROTOCOL-WEB.md").
@Suite struct ContentTypeTests {
    @Test(arguments: [
        ("application/grpc", CallProtocol.grpc), ("application/grpc+proto", .grpc), ("application/grpc+json", .grpc),
        ("Application/GRPC; charset=utf-8", .grpc), ("application/grpc-web", .grpcWeb), ("application/grpc-web+proto", .grpcWeb),
        ("application/grpc-web-text", .grpcWebText), ("application/grpc-web-text+proto", .grpcWebText),
        ("application/grpcfoo", .http2), ("application/json", .http2), ("", .http2),
        ("APPLICATION/GRPC-WEB-TEXT;charset=x", .grpcWebText), ("application/grpc ;q=1", .http2), (";application/grpc", .http2),
        // Beyond ASCII: lowercased as Unicode text, as before the byte comparison.
        ("APPLICATION/GRPC-WEB\u{C9}", .grpcWeb), ("application/grpc\u{E9}", .http2),
    ])
    func classified(contentType: String, expected: CallProtocol) {
        #expect(RequestHeaders.callProtocol(contentType: contentType) == expected)
    }
}
