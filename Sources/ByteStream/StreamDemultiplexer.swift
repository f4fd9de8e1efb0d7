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
/// Whole TLS records at the start of either direction name TLS too (a connection joined after its
/// handshake). Anything else (a stream that starts mid-way, a server that speaks first, a gap
/// before the decision, bytes that match nothing) goes to HTTP/2, whose decoder searches for
/// frames and reports the connection as not HTTP/2 when it finds none.
public struct StreamDemultiplexer: Sendable {
    /// Data and gaps held while undecided, in arrival order.
    private var held: [ByteStreamEvent] = []
    /// Each direction's first bytes (only while they can still decide), by `Direction.rawValue`.
    private var firstBytes: [[UInt8]] = [[], []]
    private var sawData = [false, false]

    public init() {}

    /// Whether bytes were held and never named a layer (at the end of the connection).
    public var holdsBytes: Bool { !firstBytes[0].isEmpty || !firstBytes[1].isEmpty }

    /// Takes the next data or gap; returns the next layer and the events to replay to it (this
    /// one included) once decided, `nil` while undecided.
    public mutating func take(_ event: ByteStreamEvent) -> (NextLayer, [ByteStreamEvent])? {
        held.append(event)
        switch event {
        case let .data(data):
            let side = data.position.direction.rawValue
            if !sawData[side], data.offset != 0 { return decide(.http2) }
            sawData[side] = true
            firstBytes[side] += data.bytes
            let bytes = firstBytes[side][...]
            if data.position.direction == .clientToServer {
                switch StreamSniffer.sniffClient(bytes) {
                case .needMoreBytes: return nil
                case .tls: return decide(.tls)
                case .http1Request(_, _, upgradeH2C: false): return decide(.http1)
                case .http2Preface, .http1Request: return decide(.http2)
                case .other: break
                }
            } else if sawData[Direction.clientToServer.rawValue], firstBytes[Direction.clientToServer.rawValue].isEmpty == false {
                return nil  // the client's bytes decide; they are still too few
            }
            switch StreamSniffer.startsWithTLSRecords(bytes) {
            case true?: return decide(.tls)
            case nil: return nil
            case false?: return decide(.http2)  // searched for frames, as mid-way
            }
        case .gap:
            return decide(.http2)
        case .opened, .closed:
            held.removeLast()
            return nil
        }
    }

    private mutating func decide(_ layer: NextLayer) -> (NextLayer, [ByteStreamEvent]) {
        defer { held = []; firstBytes = [[], []] }
        return (layer, held)
    }
}
