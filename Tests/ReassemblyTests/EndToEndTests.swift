import Capture
import Packet
import Reassembly
import Testing
import TestSupport

/// The same disordered conversation through every link type and both file formats: capture
/// files written by the test helpers, read by the full pipeline.
@Suite struct EndToEndTests {
    static let linkTypes: [LinkType] = [.ethernet, .linuxSLL2, .null, .raw]

    @Test(arguments: linkTypes, [ReassemblyRun.FileFormat.pcap, .pcapng])
    func disorderedConversation(linkType: LinkType, format: ReassemblyRun.FileFormat) {
        for ipv6 in [false, true] {
            var conversation = ipv6
                ? TCPConversation(client: .init(.init("2001:db8::1")!, 41000), server: .init(.init("2001:db8::2")!, 50051))
                : TCPConversation()
            conversation.linkType = linkType
            let handshake = conversation.handshake()
            var requests = conversation.sendPieces(.client, request, size: 6)
            requests.swapAt(0, 2)                 // reordered
            requests.insert(requests[4], at: 6)   // duplicated
            let responses = conversation.sendPieces(.server, response, size: 11)
            let run = ReassemblyRun(handshake + requests + responses + conversation.closeCleanly(), format: format)
            #expect(run.stream(.clientToServer) == request, "\(linkType) ipv6=\(ipv6)")
            #expect(run.stream(.serverToClient) == response, "\(linkType) ipv6=\(ipv6)")
            #expect(run.summaries.map(\.reason) == [.fin])
            #expect(run.summaries.first?.clientToServer.retransmissions == 1)
            #expect(run.summaries.first?.clientToServer.outOfOrder == 2)
        }
    }

    @Test func vlanTaggedFramesInAFile() {
        var conversation = TCPConversation()
        let packets = (conversation.handshake() + conversation.sendPieces(.client, request, size: 8)).map { packet in
            var tagged = packet
            // Re-wrap the IP datagram in a QinQ-tagged Ethernet frame.
            tagged.data = PacketBuilder.ethernet(etherType: 0x0800, vlanTags: [(0x88A8, 10), (0x8100, 20)], payload: Array(packet.data.dropFirst(14)))
            return tagged
        }
        #expect(ReassemblyRun(packets).stream(.clientToServer) == request)
    }

    @Test func fragmentedSegmentsInAFile() {
        var conversation = TCPConversation()
        conversation.linkType = .raw
        var packets = conversation.handshake()
        let big = conversation.send(.client, Array(String(repeating: "fragmented payload ", count: 20).utf8))
        // Split the datagram's TCP bytes into IPv4 fragments, last one first.
        let tcpBytes = Array(big.data.dropFirst(20))
        let fragments = stride(from: 0, to: tcpBytes.count, by: 128).map { offset in
            PacketBuilder.ipv4(source: conversation.client.address, destination: conversation.server.address,
                               payload: Array(tcpBytes[offset..<min(offset + 128, tcpBytes.count)]), identification: 9,
                               moreFragments: offset + 128 < tcpBytes.count, fragmentOffset: offset)
        }
        for fragment in fragments.reversed() { packets.append(conversation.packet(fragment)) }
        #expect(ReassemblyRun(packets).stream(.clientToServer) == String(repeating: "fragmented payload ", count: 20))
    }
}
