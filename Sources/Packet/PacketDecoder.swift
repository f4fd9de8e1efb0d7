import Capture
import WireCore

/// A packet decoded down to TCP, or the reason it was not.
public struct DecodedPacket: Sendable {
    public enum Content: Sendable {
        case tcp(source: Endpoint, destination: Endpoint, segment: TCPSegment)
        /// A fragment held until its datagram is complete.
        case fragmentHeld
        case skipped(SkipReason)
    }

    public var number: Int
    public var timestamp: Timestamp
    public var content: Content
    public var diagnostics: [Diagnostic]
}

/// Why a packet carries nothing for the TCP layer. Counted in summaries.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    case unsupportedLinkType(LinkType)
    case notIP(NetworkProtocol)
    case notTCP(UInt8)
    case malformed

    public var description: String {
        switch self {
        case let .unsupportedLinkType(type): return "unsupported link type \(type)"
        case let .notIP(.other(etherType)): return "not IP (EtherType 0x" + String(etherType, radix: 16, uppercase: true) + ")"
        case .notIP: return "not IP"
        case let .notTCP(proto): return "not TCP (IP protocol \(proto)\(proto == IPPacket.udp ? ", UDP" : proto == 1 ? ", ICMP" : proto == 58 ? ", ICMPv6" : ""))"
        case .malformed: return "malformed"
        }
    }
}

/// Decodes captured packets through link, IP (reassembling fragments) and TCP headers.
/// Stateful only for IP fragments; everything else is per packet.
public struct PacketDecoder: Sendable {
    public var defragmenter: IPDefragmenter

    public init(defragmenter: IPDefragmenter = IPDefragmenter()) {
        self.defragmenter = defragmenter
    }

    public mutating func decode(_ packet: CapturedPacket) -> DecodedPacket {
        var result = DecodedPacket(number: packet.number, timestamp: packet.timestamp, content: .skipped(.malformed), diagnostics: [])
        let network: NetworkProtocol, offset: Int
        switch LinkLayer.decode(packet.data, linkType: packet.linkType, packet: packet.number) {
        case let .network(proto, payloadOffset, _):
            (network, offset) = (proto, payloadOffset)
        case let .unsupportedLinkType(type):
            result.content = .skipped(.unsupportedLinkType(type))
            return result
        case let .malformed(diagnostic):
            result.diagnostics.append(diagnostic)
            return result
        }
        let decodedIP: Result<IPPacket, Diagnostic>
        switch network {
        case .ipv4: decodedIP = IPv4Header.decode(packet.data, at: offset, packet: packet.number)
        case .ipv6: decodedIP = IPv6Header.decode(packet.data, at: offset, packet: packet.number)
        case .other:
            result.content = .skipped(.notIP(network))
            return result
        }
        guard case var .success(ip) = decodedIP else {
            if case let .failure(diagnostic) = decodedIP { result.diagnostics.append(diagnostic) }
            return result
        }
        if ip.fragment != nil {
            let (whole, diagnostics) = defragmenter.add(ip, packet: packet.number, time: packet.timestamp)
            result.diagnostics += diagnostics
            guard let whole else {
                result.content = .fragmentHeld
                return result
            }
            ip = whole
            if ip.version == 6, let afterChain = Self.skipIPv6Headers(&ip) {
                result.diagnostics.append(Diagnostic(.ip, "ipv6.extension.short", .warning, afterChain, packet: packet.number))
                return result
            }
        }
        guard ip.protocolNumber == IPPacket.tcp else {
            result.content = .skipped(.notTCP(ip.protocolNumber))
            return result
        }
        switch TCPHeader.decode(ip, packet: packet.number) {
        case let .success(segment):
            result.content = .tcp(source: Endpoint(ip.source, segment.sourcePort),
                                  destination: Endpoint(ip.destination, segment.destinationPort), segment: segment)
        case let .failure(diagnostic):
            result.diagnostics.append(diagnostic)
        }
        return result
    }

    /// A reassembled IPv6 payload starts with the headers that followed the fragment header.
    /// Returns an error message when they are cut short.
    private static func skipIPv6Headers(_ ip: inout IPPacket) -> String? {
        var reader = ByteReader(ip.payload, baseOffset: 0)
        switch IPv6Header.walkExtensionHeaders(from: ip.protocolNumber, &reader) {
        case let .upperLayer(proto):
            ip.protocolNumber = proto
            ip.payload = reader.readRemaining()
            return nil
        case .fragment:
            return "reassembled IPv6 datagram holds a second fragment header"
        case let .cutShort(header):
            return "IPv6 extension header \(header) cut short in a reassembled datagram"
        }
    }
}
