import Capture
import Packet
import Testing
import TestSupport
import WireCore

@Suite struct IPTests {
    @Test func ipv4OptionsAreSkipped() throws {
        // Record Route (7), length 7, pointer 4, one empty slot; padded to 8 bytes.
        let datagram = PacketBuilder.ipv4(source: client.address, destination: server.address, payload: tcpBytes, options: [7, 7, 4, 0, 0, 0, 0])
        #expect(datagram[0] == 0x47)
        let (_, _, segment) = try #require(tcpContent(decode(datagram, .raw)))
        #expect(Array(segment.payload) == Array("hello".utf8))
    }

    @Test func ethernetPaddingIsNotPayload() throws {
        let small = PacketBuilder.ipv4(source: client.address, destination: server.address,
                                       payload: PacketBuilder.tcp(sourcePort: 1, destinationPort: 2, sequence: 0, flags: .ack))
        let frame = PacketBuilder.ethernet(etherType: 0x0800, payload: small) + [0, 0, 0, 0, 0, 0]  // padded to 60 bytes
        let (_, _, segment) = try #require(tcpContent(decode(frame, .ethernet)))
        #expect(segment.payload.isEmpty && segment.missingBytes == 0)
    }

    @Test func snapLengthCutIsCountedAsMissing() throws {
        let datagram = PacketBuilder.ipv4(source: client.address, destination: server.address, payload: tcpBytes)
        let (_, _, segment) = try #require(tcpContent(decode(Array(datagram.dropLast(3)), .raw)))
        #expect(Array(segment.payload) == Array("he".utf8))
        #expect(segment.missingBytes == 3)
    }

    @Test func ipv6ExtensionHeadersAreWalked() throws {
        // Hop-by-hop → destination options → routing → TCP.
        let chain = PacketBuilder.ipv6Extension(nextHeader: 60, body: [1, 4, 0, 0, 0, 0])
            + PacketBuilder.ipv6Extension(nextHeader: 43, body: [1, 12] + [UInt8](repeating: 0, count: 12))
            + PacketBuilder.ipv6Extension(nextHeader: 6, body: [0, 0, 0, 0, 0, 0])
        let datagram = PacketBuilder.ipv6(source: IPAddress("fe80::1")!, destination: IPAddress("fe80::2")!, nextHeader: 0, payload: chain + tcpBytes)
        let (source, destination, segment) = try #require(tcpContent(decode(datagram, .raw)))
        #expect(source.description == "[fe80::1]:40000" && destination.description == "[fe80::2]:50051")
        #expect(Array(segment.payload) == Array("hello".utf8))
    }

    @Test func ipv6ExtensionCutShortIsReported() {
        let chain = PacketBuilder.ipv6Extension(nextHeader: 6, body: [0, 0, 0, 0, 0, 0])
        var datagram = PacketBuilder.ipv6(source: IPAddress("::1")!, destination: IPAddress("::1")!, nextHeader: 0, payload: chain)
        datagram[40 + 1] = 9  // claims 80 bytes
        let decoded = decode(datagram, .raw)
        #expect(decoded.diagnostics.map(\.code) == ["ipv6.extension.short"])
    }

    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"), ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("::", "::"), ("::1", "::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("fe80::", "fe80::"), ("127.0.0.1", "127.0.0.1"),
    ])
    func addressText(input: String, canonical: String) {
        // RFC 5952 §4: lower case, the longest run of zero groups compressed, a single zero group not.
        #expect(IPAddress(input)?.description == canonical)
    }

    @Test func malformedHeadersAreDiagnosedNotTrapped() {
        var badIHL = ipv4Datagram
        badIHL[0] = 0x44
        #expect(decode(badIHL, .raw).diagnostics.map(\.code) == ["ipv4.ihl"])
        var badOffset = ipv4Datagram
        badOffset[20 + 12] = 0x30  // TCP data offset 12 bytes
        #expect(decode(badOffset, .raw).diagnostics.map(\.code) == ["tcp.data-offset"])
        var shortTotal = ipv4Datagram
        shortTotal[3] = 10
        #expect(decode(shortTotal, .raw).diagnostics.map(\.code) == ["ipv4.total-length"])
    }

    @Test func tcpOptionsAreParsed() throws {
        // MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
        let options: [UInt8] = [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7]
        let tcp = PacketBuilder.tcp(sourcePort: 1, destinationPort: 2, sequence: 0, flags: .syn, options: options)
        let (_, _, segment) = try #require(tcpContent(decode(PacketBuilder.ipv4(source: client.address, destination: server.address, payload: tcp), .raw)))
        #expect(segment.options.maximumSegmentSize == 1460)
        #expect(segment.options.sackPermitted)
        #expect(segment.options.timestamps?.value == 1 && segment.options.timestamps?.echoReply == 2)
        #expect(segment.options.windowScale == 7)
        #expect(segment.flags == .syn && segment.flags.description == "S")
    }
}
