import Packet
import WireCore

/// A connection's number within one capture: 1 for the first connection seen, and so on. Assigned
/// by the transport (TCP reassembly) when the connection appears, before any layer above sees it.
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
    /// Its TLS records open with a client traffic secret of the key log (a session joined after
    /// its handshake).
    case tlsClientSecret = "tls-client-secret"
    /// Inferred from the port numbers: the server's is well known or not ephemeral.
    case ports

    /// Whether the handshake proved it, as opposed to an inference.
    public var isInferred: Bool { self != .syn && self != .synAck }
}

/// A connection as the layers above the transport first see it: its number, its two ends, and how
/// the client was told from the server.
public struct ConnectionInfo: Sendable, Hashable {
    public var id: ConnectionID
    public var client: Endpoint
    public var server: Endpoint
    public var clientEvidence: ClientEvidence
    /// Packet number and time of the connection's first packet.
    public var firstPacket: Int
    public var start: Timestamp

    public init(id: ConnectionID, client: Endpoint, server: Endpoint, clientEvidence: ClientEvidence, firstPacket: Int, start: Timestamp) {
        self.id = id
        self.client = client
        self.server = server
        self.clientEvidence = clientEvidence
        self.firstPacket = firstPacket
        self.start = start
    }
}
