import Capture
import Packet

/// Builds packets header by header, for tests. Every field has a plain default; checksums are
/// left zero (grpcdump does not verify them, as offloading makes them wrong in most captures).
public enum PacketBuilder {
    /// A TCP header (RFC 9293 §3.1) with raw option bytes (padded to 32 bits) and a payload.
    public static func tcp(
        sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32, acknowledgement: UInt32 = 0,
        flags: TCPFlags, window: UInt16 = 65535, options: [UInt8] = [], payload: [UInt8] = []
    ) -> [UInt8] {
        var options = options
        while options.count % 4 != 0 { options.append(0) }
        let dataOffset = UInt16((20 + options.count) / 4)
        var bytes = be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgement)
        bytes += be16(dataOffset << 12 | flags.rawValue) + be16(window) + [0, 0, 0, 0]
        return bytes + options + payload
    }

    /// An IPv4 header (RFC 791 §3.1). `fragmentOffset` is in bytes (a multiple of 8).
    public static func ipv4(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8 = IPPacket.tcp, payload: [UInt8],
        identification: UInt16 = 1, moreFragments: Bool = false, fragmentOffset: Int = 0,
        options: [UInt8] = [], totalLength: Int? = nil
    ) -> [UInt8] {
        var options = options
        while options.count % 4 != 0 { options.append(0) }
        let headerLength = 20 + options.count
        var bytes: [UInt8] = [0x40 | UInt8(headerLength / 4), 0]
        bytes += be16(UInt16(totalLength ?? headerLength + payload.count)) + be16(identification)
        bytes += be16((moreFragments ? 0x2000 : 0) | UInt16(fragmentOffset / 8))
        bytes += [64, protocolNumber, 0, 0] + source.bytes + destination.bytes
        return bytes + options + payload
    }

    /// An IPv6 extension header of the generic form (RFC 8200 §4.3): next header, length in
    /// 8-octet units beyond the first, and `body` padded to fill it.
    public static func ipv6Extension(nextHeader: UInt8, body: [UInt8] = []) -> [UInt8] {
        var bytes = [nextHeader, 0] + body
        while bytes.count % 8 != 0 { bytes.append(0) }
        bytes[1] = UInt8(bytes.count / 8 - 1)
        return bytes
    }

    /// An IPv6 Fragment header (RFC 8200 §4.5); `offset` in bytes.
    public static func ipv6Fragment(nextHeader: UInt8, offset: Int, moreFragments: Bool, identification: UInt32) -> [UInt8] {
        [nextHeader, 0] + be16(UInt16(offset / 8) << 3 | (moreFragments ? 1 : 0)) + be32(identification)
    }

    /// An IPv6 header (RFC 8200 §3); `payload` starts with any extension headers.
    public static func ipv6(source: IPAddress, destination: IPAddress, nextHeader: UInt8 = IPPacket.tcp, payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payload.count)) + [nextHeader, 64] + source.bytes + destination.bytes + payload
    }

    /// Ethernet II with optional VLAN tags, each `(tpid, vlan id)`, outermost first.
    public static func ethernet(etherType: UInt16, vlanTags: [(tpid: UInt16, id: UInt16)] = [], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]
        for tag in vlanTags { bytes += be16(tag.tpid) + be16(tag.id) }
        return bytes + be16(etherType) + payload
    }

    /// Linux cooked capture v1 header (packet type 0 = to us, ARPHRD_ETHER).
    public static func linuxSLL(protocolType: UInt16, payload: [UInt8]) -> [UInt8] {
        [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0] + be16(protocolType) + payload
    }

    /// Linux cooked capture v2 header (ARPHRD_LOOPBACK, interface 1).
    public static func linuxSLL2(protocolType: UInt16, payload: [UInt8]) -> [UInt8] {
        be16(protocolType) + [0, 0] + be32(1) + be16(772) + [0, 6] + [UInt8](repeating: 0, count: 8) + payload
    }

    /// BSD loopback: the address family in the given byte order (NULL: the writer's; LOOP: big-endian).
    public static func bsdLoopback(family: UInt32, littleEndian: Bool, payload: [UInt8]) -> [UInt8] {
        (littleEndian ? be32(family.byteSwapped) : be32(family)) + payload
    }

    public static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    public static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
