import Capture
import Packet
import Testing
import TestSupport
import WireCore

/// Splits `tcpSegment` into IPv4 fragments of `size` bytes (a multiple of 8).
func ipv4Fragments(_ tcpSegment: [UInt8], size: Int, identification: UInt16 = 77) -> [[UInt8]] {
    stride(from: 0, to: tcpSegment.count, by: size).map { offset in
        let end = min(offset + size, tcpSegment.count)
        return PacketBuilder.ipv4(source: client.address, destination: server.address, payload: Array(tcpSegment[offset..<end]),
                                  identification: identification, moreFragments: end < tcpSegment.count, fragmentOffset: offset)
    }
}

func ipv6FragmentList(_ tcpSegment: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: tcpSegment.count, by: size).map { offset in
        let end = min(offset + size, tcpSegment.count)
        let fragmentHeader = PacketBuilder.ipv6Fragment(nextHeader: 6, offset: offset, moreFragments: end < tcpSegment.count, identification: 0xABCD)
        return PacketBuilder.ipv6(source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8::2")!, nextHeader: 44,
                                  payload: fragmentHeader + Array(tcpSegment[offset..<end]))
    }
}

@Suite struct FragmentTests {
    let bigSegment = PacketBuilder.tcp(sourcePort: 40000, destinationPort: 50051, sequence: 1, flags: .ack,
                                       payload: (0..<100).map { UInt8($0) })

    func run(_ datagrams: [[UInt8]], decoder: inout PacketDecoder) -> [DecodedPacket] {
        datagrams.enumerated().map { index, datagram in
            decoder.decode(CapturedPacket(number: index + 1, timestamp: Timestamp(seconds: Int64(index), nanoseconds: 0), linkType: .raw, data: datagram))
        }
    }

    @Test(arguments: [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3]])
    func ipv4FragmentsInAnyOrder(order: [Int]) throws {
        let fragments = ipv4Fragments(bigSegment, size: 24)
        #expect(fragments.count == 5)
        var decoder = PacketDecoder()
        let decoded = run(order.map { fragments[$0] }, decoder: &decoder)
        #expect(decoded.dropLast().allSatisfy { if case .fragmentHeld = $0.content { true } else { false } })
        let (_, _, segment) = try #require(tcpContent(decoded.last!))
        #expect(Array(segment.payload) == (0..<100).map { UInt8($0) })
        #expect(decoder.defragmenter.pendingCount == 0)
    }

    @Test func ipv6Fragments() throws {
        var decoder = PacketDecoder()
        let decoded = run(Self.reversed(FragmentTests.ipv6(bigSegment)), decoder: &decoder)
        let (source, _, segment) = try #require(tcpContent(decoded.last!))
        #expect(source.description == "[2001:db8::1]:40000")
        #expect(segment.payload.count == 100)
    }

    static func ipv6(_ segment: [UInt8]) -> [[UInt8]] { ipv6FragmentList(segment, size: 48) }
    static func reversed(_ fragments: [[UInt8]]) -> [[UInt8]] { fragments.reversed() }

    @Test func overlappingFragmentsKeepTheFirstCopy() throws {
        var fragments = ipv4Fragments(bigSegment, size: 64)
        // A rogue copy of bytes 16..<40 with different content, sent after the first fragment.
        let rogue = PacketBuilder.ipv4(source: client.address, destination: server.address, payload: [UInt8](repeating: 0xEE, count: 24),
                                       identification: 77, moreFragments: true, fragmentOffset: 16)
        fragments.insert(rogue, at: 1)
        var decoder = PacketDecoder()
        let decoded = run(fragments, decoder: &decoder)
        let (_, _, segment) = try #require(tcpContent(decoded.last!))
        #expect(Array(segment.payload) == (0..<100).map { UInt8($0) })
        #expect(decoded.last!.diagnostics.map(\.code) == ["ip.fragment.overlap"])
    }

    @Test func incompleteDatagramsAreReportedOnTimeoutAndAtTheEnd() {
        let fragments = ipv4Fragments(bigSegment, size: 24)
        var decoder = PacketDecoder()
        _ = run([fragments[0], fragments[1]], decoder: &decoder)
        #expect(decoder.defragmenter.expire(now: Timestamp(seconds: 5, nanoseconds: 0)).isEmpty)
        let expired = decoder.defragmenter.expire(now: Timestamp(seconds: 60, nanoseconds: 0))
        #expect(expired.map(\.code) == ["ip.fragment.incomplete"])
        #expect(expired.first?.message.contains("48 of an unknown number of bytes arrived") == true)
        _ = run([fragments[4]], decoder: &decoder)
        let atEnd = decoder.defragmenter.finish()
        #expect(atEnd.count == 1 && atEnd[0].message.contains("the capture ended"))
    }

    @Test func pendingDatagramsAreCapped() {
        var decoder = PacketDecoder(defragmenter: IPDefragmenter(maxPendingDatagrams: 4))
        var diagnostics: [Diagnostic] = []
        for id in 0..<10 {
            let first = ipv4Fragments(bigSegment, size: 24, identification: UInt16(id))[0]
            diagnostics += run([first], decoder: &decoder).flatMap(\.diagnostics)
        }
        #expect(decoder.defragmenter.pendingCount == 4)
        #expect(diagnostics.count == 6 && diagnostics.allSatisfy { $0.message.contains("too many datagrams") })
    }
}
