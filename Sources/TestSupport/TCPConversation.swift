import Capture
import Packet
import WireCore

/// Scripts a TCP connection between a client and a server and yields its packets as Ethernet
/// frames (or raw IP), keeping sequence and acknowledgement numbers right. Tests then reorder,
/// duplicate, drop or cut these frames.
public struct TCPConversation {
    public enum Side { case client, server }

    public let client: Endpoint
    public let server: Endpoint
    /// Next sequence number each side will use.
    public private(set) var clientSequence: UInt32
    public private(set) var serverSequence: UInt32
    public var linkType: LinkType = .ethernet
    public var time = Timestamp(seconds: 1_700_000_000, nanoseconds: 0)
    /// Added to `time` after each packet.
    public var step: Int64 = 1_000_000

    public init(client: Endpoint, server: Endpoint, clientISN: UInt32 = 1000, serverISN: UInt32 = 5000) {
        self.client = client
        self.server = server
        clientSequence = clientISN
        serverSequence = serverISN
    }

    public init(clientISN: UInt32 = 1000, serverISN: UInt32 = 5000) {
        self.init(client: Endpoint(IPAddress("10.0.0.1")!, 40000), server: Endpoint(IPAddress("10.0.0.2")!, 50051),
                  clientISN: clientISN, serverISN: serverISN)
    }

    /// SYN, SYN-ACK, ACK.
    public mutating func handshake() -> [CapturedPacket] {
        [segment(.client, flags: .syn, consumes: 1), segment(.server, flags: [.syn, .ack], consumes: 1), segment(.client, flags: .ack)]
    }

    /// One data segment from `side` (with ACK and PSH).
    public mutating func send(_ side: Side, _ payload: [UInt8], window: UInt16 = 65535) -> CapturedPacket {
        segment(side, flags: [.ack, .psh], payload: payload, window: window)
    }

    /// A pure ACK from `side`.
    public mutating func ack(_ side: Side, window: UInt16 = 65535) -> CapturedPacket {
        segment(side, flags: .ack, window: window)
    }

    /// FIN from `side`.
    public mutating func fin(_ side: Side) -> CapturedPacket {
        segment(side, flags: [.fin, .ack], consumes: 1)
    }

    public mutating func rst(_ side: Side) -> CapturedPacket {
        segment(side, flags: [.rst, .ack])
    }

    /// A segment with explicit fields; `consumes` extra sequence space (1 for SYN or FIN).
    public mutating func segment(
        _ side: Side, flags: TCPFlags, payload: [UInt8] = [], window: UInt16 = 65535, consumes: UInt32 = 0,
        sequence: UInt32? = nil
    ) -> CapturedPacket {
        let (source, destination) = side == .client ? (client, server) : (server, client)
        let ownSequence = sequence ?? (side == .client ? clientSequence : serverSequence)
        let peerSequence = side == .client ? serverSequence : clientSequence
        let tcp = PacketBuilder.tcp(
            sourcePort: source.port, destinationPort: destination.port, sequence: ownSequence,
            acknowledgement: flags.contains(.ack) ? peerSequence : 0, flags: flags, window: window, payload: payload)
        if sequence == nil {
            let advance = UInt32(payload.count) &+ consumes
            if side == .client { clientSequence &+= advance } else { serverSequence &+= advance }
        }
        return packet(ip(source.address, destination.address, tcp))
    }

    /// Wraps an IP datagram in this conversation's link type and stamps it.
    public mutating func packet(_ ipDatagram: [UInt8]) -> CapturedPacket {
        let isIPv6 = ipDatagram.first.map { $0 >> 4 == 6 } ?? false
        let frame: [UInt8]
        switch linkType {
        case .ethernet: frame = PacketBuilder.ethernet(etherType: isIPv6 ? 0x86DD : 0x0800, payload: ipDatagram)
        case .linuxSLL2: frame = PacketBuilder.linuxSLL2(protocolType: isIPv6 ? 0x86DD : 0x0800, payload: ipDatagram)
        case .null: frame = PacketBuilder.bsdLoopback(family: isIPv6 ? 30 : 2, littleEndian: true, payload: ipDatagram)
        default: frame = ipDatagram
        }
        defer { time = time.adding(nanoseconds: step) }
        return CapturedPacket(number: 0, timestamp: time, linkType: linkType, data: frame)
    }

    private func ip(_ source: IPAddress, _ destination: IPAddress, _ tcp: [UInt8]) -> [UInt8] {
        source.isIPv6
            ? PacketBuilder.ipv6(source: source, destination: destination, payload: tcp)
            : PacketBuilder.ipv4(source: source, destination: destination, payload: tcp)
    }
}
