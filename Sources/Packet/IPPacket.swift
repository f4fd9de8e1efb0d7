import WireCore

/// An IP datagram (or one fragment of one): addresses, the upper-layer protocol and its bytes.
public struct IPPacket: Sendable {
    public var version: Int
    public var source: IPAddress
    public var destination: IPAddress
    /// The upper-layer protocol (TCP is 6), after any IPv6 extension headers.
    public var protocolNumber: UInt8
    /// The captured upper-layer bytes.
    public var payload: ArraySlice<UInt8>
    /// Upper-layer bytes announced by the IP header but absent from the capture (snapshot length).
    public var missingBytes: Int
    /// Set when this packet is a fragment that must be reassembled before decoding further.
    public var fragment: IPFragment?

    public init(version: Int, source: IPAddress, destination: IPAddress, protocolNumber: UInt8,
                payload: ArraySlice<UInt8>, missingBytes: Int = 0, fragment: IPFragment? = nil) {
        self.version = version
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.payload = payload
        self.missingBytes = missingBytes
        self.fragment = fragment
    }

    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
}

/// Where a fragment belongs in its datagram (RFC 791 §3.2, RFC 8200 §4.5).
public struct IPFragment: Sendable, Hashable {
    public var identification: UInt32
    /// Byte offset of this fragment's data in the reassembled payload.
    public var offset: Int
    public var moreFragments: Bool
}

/// The IPv4 header (RFC 791 §3.1), options included.
public enum IPv4Header {
    public static func decode(_ bytes: [UInt8], at start: Int, packet: Int) -> Result<IPPacket, Diagnostic> {
        var reader = ByteReader(bytes[start...], baseOffset: start)
        func malformed(_ code: String, _ message: String, length: Diagnostic.LengthProblem? = nil) -> Result<IPPacket, Diagnostic> {
            .failure(Diagnostic(.ip, code, .warning, message, packet: packet, span: ByteSpan(start: start, end: bytes.count), length: length))
        }
        guard reader.remaining >= 20 else {
            return malformed("ipv4.short", "IPv4 header cut short", length: .init(required: 20, available: reader.remaining, source: "IPv4 minimum header"))
        }
        let versionAndLength = reader.readUInt8()!
        guard versionAndLength >> 4 == 4 else { return malformed("ipv4.version", "IPv4 header has version \(versionAndLength >> 4)") }
        // RFC 791 §3.1: IHL counts 32-bit words and is at least 5.
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20 else { return malformed("ipv4.ihl", "IPv4 header length \(headerLength) is below 20") }
        guard headerLength <= bytes.count - start else {
            return malformed("ipv4.short", "IPv4 options cut short", length: .init(required: headerLength, available: bytes.count - start, source: "IPv4 IHL"))
        }
        reader.skip(1)  // DSCP/ECN
        var totalLength = Int(reader.readUInt16()!)
        let identification = reader.readUInt16()!
        let flagsAndOffset = reader.readUInt16()!
        reader.skip(1)  // TTL
        let proto = reader.readUInt8()!
        reader.skip(2)  // checksum (offloaded on most captures, so not verified)
        let source = IPAddress.v4(reader.readUInt32()!)
        let destination = IPAddress.v4(reader.readUInt32()!)
        // A total length of 0 is what TCP segmentation offload leaves in captured packets.
        if totalLength == 0 { totalLength = bytes.count - start }
        guard totalLength >= headerLength else {
            return malformed("ipv4.total-length", "IPv4 total length \(totalLength) is smaller than its header (\(headerLength))")
        }
        let payloadStart = start + headerLength
        // Ethernet pads short frames: the IP total length, not the frame, says where data ends.
        let payloadEnd = min(start + totalLength, bytes.count)
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = Int(flagsAndOffset & 0x1FFF) * 8
        return .success(IPPacket(
            version: 4, source: source, destination: destination, protocolNumber: proto,
            payload: bytes[payloadStart..<max(payloadStart, payloadEnd)],
            missingBytes: max(0, start + totalLength - bytes.count),
            fragment: moreFragments || fragmentOffset > 0
                ? IPFragment(identification: UInt32(identification), offset: fragmentOffset, moreFragments: moreFragments) : nil))
    }
}
