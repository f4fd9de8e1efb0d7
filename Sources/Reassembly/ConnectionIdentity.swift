import Packet

/// A TCP connection's number within one capture: 1 for the first connection seen, and so on.
public struct ConnectionID: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// Which way bytes flow, relative to the connection's client.
public enum Direction: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case clientToServer = 0
    case serverToClient = 1

    public var reversed: Direction { self == .clientToServer ? .serverToClient : .clientToServer }
    /// The role of the sender: `client` or `server`.
    public var sender: String { self == .clientToServer ? "client" : "server" }
    public var description: String { self == .clientToServer ? "client→server" : "server→client" }
}

/// How the client of a connection was recognised.
public enum ClientEvidence: String, Sendable, Hashable {
    /// It sent the SYN.
    case syn
    /// The other side sent a SYN-ACK (the SYN itself was not captured).
    case synAck = "syn-ack"
    /// It sent the HTTP/2 client connection preface (RFC 9113 §3.4).
    case http2Preface = "http2-preface"
    /// Inferred from the port numbers: the server's is well known or not ephemeral.
    case ports

    /// Whether the handshake proved it, as opposed to an inference.
    public var isInferred: Bool { self != .syn && self != .synAck }
}

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
