import WireCore

/// The IPv6 header (RFC 8200 §3) and its extension header chain (RFC 8200 §4).
public enum IPv6Header {
    static let hopByHop: UInt8 = 0
    static let routing: UInt8 = 43
    static let fragment: UInt8 = 44
    static let encapsulatingSecurityPayload: UInt8 = 50
    static let authentication: UInt8 = 51
    static let noNextHeader: UInt8 = 59
    static let destinationOptions: UInt8 = 60
    static let mobility: UInt8 = 135
    static let hostIdentity: UInt8 = 139
    static let shim6: UInt8 = 140

    public static func decode(_ bytes: [UInt8], at start: Int, packet: Int) -> Result<IPPacket, Diagnostic> {
        var reader = ByteReader(bytes[start...], baseOffset: start)
        guard reader.remaining >= 40 else {
            return .failure(Diagnostic(.ip, "ipv6.short", .warning, "IPv6 header cut short", packet: packet,
                                       span: ByteSpan(start: start, end: bytes.count),
                                       length: .init(required: 40, available: reader.remaining, source: "IPv6 fixed header")))
        }
        let version = reader.peekUInt8()! >> 4
        guard version == 6 else {
            return .failure(Diagnostic(.ip, "ipv6.version", .warning, "IPv6 header has version \(version)", packet: packet, span: ByteSpan(start: start, count: 1)))
        }
        reader.skip(4)
        let payloadLength = Int(reader.readUInt16()!)
        let nextHeader = reader.readUInt8()!
        reader.skip(1)  // hop limit
        let source = IPAddress(bytes: reader.readBytes(16)!)!
        let destination = IPAddress(bytes: reader.readBytes(16)!)!
        let end = start + 40 + payloadLength
        var payload = ByteReader(bytes[(start + 40)..<min(end, bytes.count)], baseOffset: start + 40)
        var packetValue = IPPacket(version: 6, source: source, destination: destination, protocolNumber: nextHeader,
                                   payload: [], missingBytes: max(0, end - bytes.count))
        switch walkExtensionHeaders(from: nextHeader, &payload) {
        case let .upperLayer(proto):
            packetValue.protocolNumber = proto
        case let .fragment(proto, fragment):
            packetValue.protocolNumber = proto
            packetValue.fragment = fragment
        case let .cutShort(header):
            return .failure(Diagnostic(.ip, "ipv6.extension.short", .warning, "IPv6 extension header \(header) cut short",
                                       packet: packet, span: ByteSpan(start: payload.offset, end: bytes.count)))
        }
        packetValue.payload = payload.readRemaining()
        return .success(packetValue)
    }

    public enum ChainEnd: Sendable, Equatable {
        case upperLayer(UInt8)
        /// A fragment header: the rest is fragment data whose first bytes may hold more headers.
        case fragment(nextHeader: UInt8, IPFragment)
        case cutShort(header: UInt8)
    }

    /// Skips extension headers starting with `nextHeader`, leaving `reader` at the upper-layer data.
    public static func walkExtensionHeaders(from nextHeader: UInt8, _ reader: inout ByteReader) -> ChainEnd {
        var next = nextHeader
        while true {
            switch next {
            case hopByHop, routing, destinationOptions, mobility, hostIdentity, shim6:
                // RFC 8200 §4.3–4.6: next header(1), length in 8-octet units not counting the first 8.
                guard let following = reader.peekUInt8(), let units = reader.peekUInt8(at: 1),
                      reader.skip((Int(units) + 1) * 8) else { return .cutShort(header: next) }
                next = following
            case authentication:
                // RFC 4302 §2.2: the length is in 4-octet units, minus 2.
                guard let following = reader.peekUInt8(), let units = reader.peekUInt8(at: 1),
                      reader.skip((Int(units) + 2) * 4) else { return .cutShort(header: next) }
                next = following
            case fragment:
                // RFC 8200 §4.5: next header(1), reserved(1), offset(13 bits)·res(2)·M(1), identification(4).
                guard let following = reader.readUInt8(), reader.skip(1), let offsetAndFlags = reader.readUInt16(),
                      let identification = reader.readUInt32() else { return .cutShort(header: next) }
                let fragmentValue = IPFragment(identification: identification, offset: Int(offsetAndFlags >> 3) * 8,
                                               moreFragments: offsetAndFlags & 1 != 0)
                // An atomic fragment (offset 0, no more fragments, RFC 6946) is a whole datagram.
                if fragmentValue.offset == 0, !fragmentValue.moreFragments { next = following; continue }
                return .fragment(nextHeader: following, fragmentValue)
            default:
                return .upperLayer(next)
            }
        }
    }
}
