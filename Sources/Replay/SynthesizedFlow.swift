import Packet

/// One TCP connection written as packets of raw IP (LINKTYPE_RAW) from the bytes each side sent:
/// the three-way handshake, the data in segments of at most `maxSegment` bytes with sequence and
/// acknowledgement numbers as a receiver would see them, and the FIN exchange (RFC 9293 §3.5).
/// Checksums are computed (RFC 1071, over the pseudo-header of RFC 9293 §3.1 / RFC 8200 §8.1), so
/// that any reader, Wireshark included, takes the packets as they are.
struct SynthesizedFlow {
    let client: Endpoint
    let server: Endpoint
    /// Next sequence number of each side.
    private var clientNext: UInt32 = 1_000
    private var serverNext: UInt32 = 5_000
    static let maxSegment = 32_768

    init(client: Endpoint, server: Endpoint) {
        self.client = client
        self.server = server
    }

    /// SYN, SYN-ACK, ACK.
    mutating func open() -> [[UInt8]] {
        defer {
            clientNext &+= 1
            serverNext &+= 1
        }
        return [segment(fromClient: true, flags: Self.syn, seq: clientNext, ack: 0),
                segment(fromClient: false, flags: Self.syn | Self.ack, seq: serverNext, ack: clientNext &+ 1),
                segment(fromClient: true, flags: Self.ack, seq: clientNext &+ 1, ack: serverNext &+ 1)]
    }

    mutating func data(fromClient: Bool, _ bytes: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: Self.maxSegment).map { start in
            let piece = Array(bytes[start..<min(bytes.count, start + Self.maxSegment)])
            let packet = segment(fromClient: fromClient, flags: Self.ack | Self.push, seq: fromClient ? clientNext : serverNext,
                                 ack: fromClient ? serverNext : clientNext, payload: piece)
            if fromClient { clientNext &+= UInt32(piece.count) } else { serverNext &+= UInt32(piece.count) }
            return packet
        }
    }

    /// The client's FIN, the server's FIN-ACK, the client's last ACK.
    mutating func close() -> [[UInt8]] {
        defer {
            clientNext &+= 1
            serverNext &+= 1
        }
        return [segment(fromClient: true, flags: Self.fin | Self.ack, seq: clientNext, ack: serverNext),
                segment(fromClient: false, flags: Self.fin | Self.ack, seq: serverNext, ack: clientNext &+ 1),
                segment(fromClient: true, flags: Self.ack, seq: clientNext &+ 1, ack: serverNext &+ 1)]
    }

    static let fin: UInt8 = 0x01, syn: UInt8 = 0x02, push: UInt8 = 0x08, ack: UInt8 = 0x10

    private func segment(fromClient: Bool, flags: UInt8, seq: UInt32, ack: UInt32, payload: [UInt8] = []) -> [UInt8] {
        let source = fromClient ? client : server, destination = fromClient ? server : client
        var tcp: [UInt8] = []
        tcp.reserveCapacity(20 + payload.count)
        tcp += Self.be16(source.port) + Self.be16(destination.port) + Self.be32(seq) + Self.be32(ack)
        tcp += [5 << 4, flags] + Self.be16(65_535) + [0, 0, 0, 0]
        tcp += payload
        let sourceBytes = source.address.bytes, destinationBytes = destination.address.bytes
        let pseudo: [UInt8] = source.address.isIPv6
            ? sourceBytes + destinationBytes + Self.be32(UInt32(tcp.count)) + [0, 0, 0, 6]
            : sourceBytes + destinationBytes + [0, 6] + Self.be16(UInt16(tcp.count))
        let checksum = Self.checksum(pseudo + tcp)
        tcp[16] = UInt8(checksum >> 8)
        tcp[17] = UInt8(checksum & 0xFF)
        if source.address.isIPv6 {
            return [0x60, 0, 0, 0] + Self.be16(UInt16(tcp.count)) + [6, 64] + sourceBytes + destinationBytes + tcp
        }
        var ip: [UInt8] = [0x45, 0] + Self.be16(UInt16(20 + tcp.count)) + [0, 0, 0x40, 0, 64, 6, 0, 0] + sourceBytes + destinationBytes
        let ipChecksum = Self.checksum(ip)
        ip[10] = UInt8(ipChecksum >> 8)
        ip[11] = UInt8(ipChecksum & 0xFF)
        return ip + tcp
    }

    /// RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
}
