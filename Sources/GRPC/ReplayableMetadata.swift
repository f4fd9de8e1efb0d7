extension GRPCCall {
    /// Request header fields that are not the client library's to set: what a call sent again
    /// should carry. Left out: pseudo-header fields (RFC 9113 §8.3), the connection-specific fields
    /// HTTP/2 forbids (§8.2.2: connection, keep-alive, proxy-connection, transfer-encoding,
    /// upgrade) with `te` and `host`, and those the gRPC library writes from its own settings
    /// (gRPC doc "PROTOCOL-HTTP2.md": content-type, grpc-timeout — recomputed from the deadline —,
    /// grpc-encoding, grpc-accept-encoding, user-agent, content-length). `-bin` values stay in their
    /// base64 form.
    public var replayableMetadata: [(name: String, value: String)] {
        self.requestHeaders.filter { !$0.name.hasPrefix(":") && !Self.notReplayed.contains($0.name.lowercased()) }
    }

    static let notReplayed: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "host",
        "content-type", "content-length", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "user-agent",
    ]
}
