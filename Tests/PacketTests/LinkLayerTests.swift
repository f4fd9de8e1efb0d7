import Capture
import Packet
import Testing
import TestSupport
import WireCore

/// A TCP segment inside IPv4, the payload every link type below carries.
let client = Endpoint(IPAddress("192.0.2.1")!, 40000)
let server = Endpoint(IPAddress("192.0.2.2")!, 50051)
let tcpBytes = PacketBuilder.tcp(sourcePort: 40000, destinationPort: 50051, sequence: 7, acknowledgement: 9,
                                 flags: [.ack, .psh], payload: Array("hello".utf8))
let ipv4Datagram = PacketBuilder.ipv4(source: client.address, destination: server.address, payload: tcpBytes)
let ipv6Datagram = PacketBuilder.ipv6(source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8::2")!, payload: tcpBytes)

func decode(_ frame: [UInt8], _ linkType: LinkType) -> DecodedPacket {
    var decoder = PacketDecoder()
    return decoder.decode(CapturedPacket(number: 1, timestamp: .zero, linkType: linkType, data: frame))
}

func tcpContent(_ packet: DecodedPacket) -> (Endpoint, Endpoint, TCPSegment)? {
    if case let .tcp(source, destination, segment) = packet.content { return (source, destination, segment) }
    return nil
}

@Suite struct LinkLayerTests {
    static let frames: [(String, LinkType, [UInt8])] = [
        ("Ethernet", .ethernet, PacketBuilder.ethernet(etherType: 0x0800, payload: ipv4Datagram)),
        ("802.1Q", .ethernet, PacketBuilder.ethernet(etherType: 0x0800, vlanTags: [(0x8100, 42)], payload: ipv4Datagram)),
        ("QinQ 802.1ad", .ethernet, PacketBuilder.ethernet(etherType: 0x0800, vlanTags: [(0x88A8, 100), (0x8100, 42)], payload: ipv4Datagram)),
        ("QinQ 0x9100", .ethernet, PacketBuilder.ethernet(etherType: 0x0800, vlanTags: [(0x9100, 7), (0x8100, 42)], payload: ipv4Datagram)),
        ("SLL", .linuxSLL, PacketBuilder.linuxSLL(protocolType: 0x0800, payload: ipv4Datagram)),
        ("SLL2", .linuxSLL2, PacketBuilder.linuxSLL2(protocolType: 0x0800, payload: ipv4Datagram)),
        ("NULL little-endian", .null, PacketBuilder.bsdLoopback(family: 2, littleEndian: true, payload: ipv4Datagram)),
        ("NULL big-endian", .null, PacketBuilder.bsdLoopback(family: 2, littleEndian: false, payload: ipv4Datagram)),
        ("LOOP", .loop, PacketBuilder.bsdLoopback(family: 2, littleEndian: false, payload: ipv4Datagram)),
        ("RAW", .raw, ipv4Datagram),
        ("IPV4", .ipv4, ipv4Datagram),
        ("RAW IPv6", .raw, ipv6Datagram),
        ("IPV6", .ipv6, ipv6Datagram),
        ("Ethernet IPv6", .ethernet, PacketBuilder.ethernet(etherType: 0x86DD, payload: ipv6Datagram)),
    ]

    @Test(arguments: frames)
    func everyLinkTypeReachesTCP(name: String, linkType: LinkType, frame: [UInt8]) throws {
        let decoded = decode(frame, linkType)
        #expect(decoded.diagnostics.isEmpty)
        let (source, destination, segment) = try #require(tcpContent(decoded), "\(name)")
        let v6 = linkType == .ipv6 || name.hasSuffix("IPv6")
        #expect(source.port == client.port && destination.port == server.port)
        #expect(source.address == (v6 ? IPAddress("2001:db8::1")! : client.address))
        #expect(segment.sequenceNumber == 7 && segment.acknowledgementNumber == 9)
        #expect(Array(segment.payload) == Array("hello".utf8))
    }

    @Test func vlanTagsAreReported() {
        let frame = PacketBuilder.ethernet(etherType: 0x0800, vlanTags: [(0x88A8, 100), (0x8100, 42)], payload: ipv4Datagram)
        guard case let .network(.ipv4, offset, tags) = LinkLayer.decode(frame, linkType: .ethernet, packet: 1) else {
            Issue.record("not IPv4")
            return
        }
        #expect(tags == [100, 42] && offset == 22)
    }

    @Test(arguments: [UInt32(10), 24, 28, 30])
    func bsdLoopbackIPv6Families(family: UInt32) throws {
        let ipv6 = PacketBuilder.ipv6(source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8::2")!, payload: tcpBytes)
        let decoded = decode(PacketBuilder.bsdLoopback(family: family, littleEndian: true, payload: ipv6), .null)
        let (source, _, _) = try #require(tcpContent(decoded))
        #expect(source.description == "[2001:db8::1]:40000")
    }

    @Test func unsupportedLinkTypeIsNamed() {
        let decoded = decode([1, 2, 3], LinkType(rawValue: 105))
        guard case let .skipped(.unsupportedLinkType(type)) = decoded.content else {
            Issue.record("not skipped")
            return
        }
        #expect(type.description == "IEEE802_11 (105)")
        #expect(LinkType(rawValue: 4242).description == "unknown link type 4242")
    }

    @Test func nonIPAndNonTCPAreSkippedWithTheirReason() {
        let arp = decode(PacketBuilder.ethernet(etherType: 0x0806, payload: [UInt8](repeating: 0, count: 28)), .ethernet)
        #expect("\(arp.content)" == "skipped(not IP (EtherType 0x806))")
        let udp = decode(PacketBuilder.ipv4(source: client.address, destination: server.address, protocolNumber: 17, payload: [0, 1, 0, 2, 0, 8, 0, 0]), .raw)
        guard case let .skipped(reason) = udp.content else {
            Issue.record("UDP not skipped")
            return
        }
        #expect(reason.description == "not TCP (IP protocol 17, UDP)")
    }

    /// Every prefix of every frame, and random bytes for every link type: no trap, and anything
    /// not decodable says why.
    @Test func truncatedAndRandomFramesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for (_, linkType, frame) in Self.frames {
            for length in 0..<frame.count {
                let decoded = decode(Array(frame.prefix(length)), linkType)
                if tcpContent(decoded) == nil, case .skipped(.malformed) = decoded.content {
                    #expect(!decoded.diagnostics.isEmpty, "\(linkType) cut at \(length)")
                }
            }
            for _ in 0..<300 {
                let random = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                _ = decode(random, linkType)
            }
        }
    }
}
