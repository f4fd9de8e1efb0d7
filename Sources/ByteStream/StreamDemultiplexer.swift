/// The layer that a connection's bytes go to next, named from their first bytes (as gopacket's
/// layers name their next layer). Adding a layer means adding a case here and a module for it.
public enum NextLayer: String, Sendable, Hashable {
    /// HTTP/2: prior knowledge (the client preface), an h2c upgrade, or frames found in a
    /// connection joined mid-way (the HTTP/2 layer tells which).
    case http2 = "HTTP/2"
    /// A TLS handshake (RFC 8446 §5.1: a handshake record).
    case tls = "TLS"
    /// An HTTP/1.x request that does not ask to upgrade to h2c.
    case http1 = "HTTP/1.x"
}

/// What a connection turned out to carry when no layer decodes it.
public enum OtherProtocol: String, Sendable, Hashable {
    case tls = "TLS (encrypted)"
    case http1 = "HTTP/1.x"
    case unknown = "not HTTP/2"
}

/// Holds a connection's first bytes until they name its next layer, then hands them over.
///
/// The client's stream decides when it starts at offset 0: the HTTP/2 preface or an h2c upgrade
/// request name HTTP/2, a TLS handshake record names TLS, any other HTTP/1.x request HTTP/1.x.
/// Anything else (a stream that starts mid-way, a server that speaks first, a gap before the
/// decision, bytes that match nothing) goes to HTTP/2, whose decoder searches for frames and
/// reports the connection as not HTTP/2 when it finds none.
public struct StreamDemultiplexer: Sendable {
    /// Data and gaps held while undecided, in arrival order.
    private var held: [ByteStreamEvent] = []
    /// The client's bytes from offset 0 (only while they can still decide).
    private var clientBytes: [UInt8] = []
    private var sawClientData = false

    public init() {}

    /// Whether bytes were held and never named a layer (at the end of the connection).
    public var holdsBytes: Bool { !clientBytes.isEmpty }

    /// Takes the next data or gap; returns the next layer and the events to replay to it (this
    /// one included) once decided, `nil` while undecided.
    public mutating func take(_ event: ByteStreamEvent) -> (NextLayer, [ByteStreamEvent])? {
        held.append(event)
        switch event {
        case let .data(data) where data.position.direction == .clientToServer:
            if !sawClientData, data.offset != 0 { return decide(.http2) }
            sawClientData = true
            clientBytes += data.bytes
            switch StreamSniffer.sniffClient(clientBytes[...]) {
            case .needMoreBytes: return nil
            case .tls: return decide(.tls)
            case .http1Request(_, _, upgradeH2C: false): return decide(.http1)
            case .http2Preface, .http1Request, .other: return decide(.http2)
            }
        case .data:
            // The server spoke first: its bytes are searched for frames, as mid-way.
            return sawClientData ? nil : decide(.http2)
        case .gap:
            return decide(.http2)
        case .opened, .closed:
            held.removeLast()
            return nil
        }
    }

    private mutating func decide(_ layer: NextLayer) -> (NextLayer, [ByteStreamEvent]) {
        defer { held = []; clientBytes = [] }
        return (layer, held)
    }
}
