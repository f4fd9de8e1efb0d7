import Capture
import WireCore

/// The network-layer protocol a link-layer header hands over to.
public enum NetworkProtocol: Sendable, Hashable {
    case ipv4
    case ipv6
    /// Anything else, by EtherType (ARP 0x0806, …) or by link type specific number.
    case other(UInt16)
}

/// The result of decoding a link-layer header: the next layer and where it starts.
public enum LinkDecoding: Sendable {
    case network(NetworkProtocol, payloadOffset: Int, vlanTags: [UInt16])
    case unsupportedLinkType(LinkType)
    case malformed(Diagnostic)
}

/// Link-layer decoding: a pure function from a packet's bytes to the next layer (gopacket's
/// "next layer" hand-off).
public enum LinkLayer {
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// IEEE 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ tag.
    static let vlanEtherTypes: Set<UInt16> = [0x8100, 0x88A8, 0x9100]

    public static func decode(_ bytes: [UInt8], linkType: LinkType, packet: Int) -> LinkDecoding {
        var reader = ByteReader(bytes)
        func short(_ required: Int, _ what: String) -> LinkDecoding {
            .malformed(Diagnostic(.link, "link.short", .warning, "\(what) header cut short", packet: packet,
                                  span: ByteSpan(start: 0, count: bytes.count),
                                  length: .init(required: required, available: bytes.count, source: "\(what) header")))
        }
        switch linkType {
        case .ethernet:
            // IEEE 802.3: destination(6), source(6), EtherType or length(2), then 802.1Q tags.
            guard reader.skip(12), var etherType = reader.readUInt16() else { return short(14, "Ethernet") }
            var tags: [UInt16] = []
            while vlanEtherTypes.contains(etherType) {
                guard let tci = reader.readUInt16(), let inner = reader.readUInt16() else {
                    return short(reader.offset + 4, "802.1Q VLAN")
                }
                tags.append(tci & 0x0FFF)
                etherType = inner
            }
            return .network(etherTypeProtocol(etherType), payloadOffset: reader.offset, vlanTags: tags)
        case .linuxSLL:
            // Linux cooked v1: packet type(2), ARPHRD(2), address length(2), address(8), protocol(2).
            guard reader.skip(14), let proto = reader.readUInt16() else { return short(16, "Linux cooked (SLL)") }
            return .network(etherTypeProtocol(proto), payloadOffset: 16, vlanTags: [])
        case .linuxSLL2:
            // Linux cooked v2: protocol(2), reserved(2), ifindex(4), ARPHRD(2), packet type(1),
            // address length(1), address(8).
            guard let proto = reader.readUInt16(), bytes.count >= 20 else { return short(20, "Linux cooked (SLL2)") }
            return .network(etherTypeProtocol(proto), payloadOffset: 20, vlanTags: [])
        case .null, .loop:
            // BSD loopback: a 4-byte address family, in the writer's byte order for NULL and in
            // network order for LOOP. A value above 0xFFFF can only be the other byte order.
            guard var family = reader.readUInt32() else { return short(4, "BSD loopback") }
            if linkType == .null, family > 0xFFFF { family = family.byteSwapped }
            switch family {
            case 2: return .network(.ipv4, payloadOffset: 4, vlanTags: [])
            // AF_INET6 differs by system: 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
            case 10, 24, 28, 30: return .network(.ipv6, payloadOffset: 4, vlanTags: [])
            default: return .network(.other(UInt16(truncatingIfNeeded: family)), payloadOffset: 4, vlanTags: [])
            }
        case .raw:
            guard let first = reader.peekUInt8() else { return short(1, "raw IP") }
            switch first >> 4 {
            case 4: return .network(.ipv4, payloadOffset: 0, vlanTags: [])
            case 6: return .network(.ipv6, payloadOffset: 0, vlanTags: [])
            default: return .network(.other(UInt16(first >> 4)), payloadOffset: 0, vlanTags: [])
            }
        case .ipv4: return .network(.ipv4, payloadOffset: 0, vlanTags: [])
        case .ipv6: return .network(.ipv6, payloadOffset: 0, vlanTags: [])
        default: return .unsupportedLinkType(linkType)
        }
    }

    private static func etherTypeProtocol(_ etherType: UInt16) -> NetworkProtocol {
        switch etherType {
        case etherTypeIPv4: .ipv4
        case etherTypeIPv6: .ipv6
        default: .other(etherType)
        }
    }
}
