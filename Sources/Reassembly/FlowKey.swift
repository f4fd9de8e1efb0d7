import Packet

/// The unordered pair of endpoints that keys a connection.
struct FlowKey: Hashable, Sendable {
    let low: Endpoint
    let high: Endpoint

    init(_ a: Endpoint, _ b: Endpoint) {
        (low, high) = a < b ? (a, b) : (b, a)
    }
}

/// The server of a connection whose handshake was not captured, guessed from its ports.
enum PortHeuristic {
    /// Linux's default ephemeral range starts at 32768, IANA's at 49152.
    static let ephemeralStart: UInt16 = 32768

    /// Ports that gRPC and HTTP/2 servers commonly listen on, some inside the ephemeral range.
    static let commonServerPorts: Set<UInt16> = [80, 443, 3000, 5000, 8000, 8080, 8443, 8888, 9000, 9090, 9443, 10000, 50051, 50052, 50053]

    /// Whether `a` looks more like the server than `b`.
    static func looksLikeServer(_ a: Endpoint, comparedWith b: Endpoint) -> Bool {
        let (p, q) = (a.port, b.port)
        if commonServerPorts.contains(p) != commonServerPorts.contains(q) { return commonServerPorts.contains(p) }
        if (p < 1024) != (q < 1024) { return p < 1024 }
        if (p >= ephemeralStart) != (q >= ephemeralStart) { return q >= ephemeralStart }
        return p < q
    }
}
