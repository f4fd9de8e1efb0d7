import Capture
import Reassembly
import Testing
import TestSupport

let request = "GET /a/long/path HTTP/1.1\r\nHost: example\r\n\r\n"
let response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

@Suite struct OrderingTests {
    @Test func inOrderBothDirections() {
        var conversation = TCPConversation()
        let packets = conversation.handshake() + conversation.sendPieces(.client, request, size: 10)
            + conversation.sendPieces(.server, response, size: 7) + conversation.closeCleanly()
        let run = ReassemblyRun(packets)
        #expect(run.stream(.clientToServer) == request)
        #expect(run.stream(.serverToClient) == response)
        let summary = run.summaries.first
        #expect(run.summaries.count == 1 && summary?.reason == .fin)
        #expect(summary?.info.clientEvidence == .syn && summary?.sawSYN == true && summary?.sawSYNACK == true)
        #expect(summary?.clientToServer.bytes == Int64(request.utf8.count))
        #expect(summary?.clientToServer.segments == 2 + 5 + 2)  // SYN, ACK, 5 data, FIN, final ACK
        #expect(summary?.clientToServer.retransmissions == 0 && summary?.clientToServer.gaps == 0)
    }

    /// Every ordering of four data segments yields the same stream.
    @Test func everyPermutationOfFourSegments() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "aaaabbbbccccdddd", size: 4)
        for permutation in permutations(of: Array(0..<4)) {
            let run = ReassemblyRun(handshake + permutation.map { data[$0] })
            #expect(run.stream(.clientToServer) == "aaaabbbbccccdddd", "\(permutation)")
            #expect(run.gaps.isEmpty)
            let late = run.notes(.outOfOrder).count
            #expect(late == run.summaries.first!.clientToServer.outOfOrder)
            #expect((late == 0) == (permutation == [0, 1, 2, 3]), "\(permutation)")
        }
    }

    @Test func exactDuplicatesAreRetransmissions() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "0123456789", size: 5)
        let run = ReassemblyRun(handshake + [data[0], data[0], data[1], data[1], data[0]])
        #expect(run.stream(.clientToServer) == "0123456789")
        #expect(run.notes(.retransmission).map(\.position.packet) == [5, 7, 8])
        #expect(run.summaries.first?.clientToServer.retransmissions == 3)
    }

    @Test func partialOverlapsDeliverOnlyTheNewBytes() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let start = conversation.clientSequence
        let first = conversation.segment(.client, flags: .ack, payload: Array("0123456789".utf8), sequence: start)
        // A retransmission that repeats 5...9 and adds abcde.
        let overlapping = conversation.segment(.client, flags: .ack, payload: Array("56789abcde".utf8), sequence: start &+ 5)
        // Out of order, overlapping buffered data on both sides.
        let ahead = conversation.segment(.client, flags: .ack, payload: Array("hijk".utf8), sequence: start &+ 17)
        let filler = conversation.segment(.client, flags: .ack, payload: Array("cdefghi".utf8), sequence: start &+ 12)
        let run = ReassemblyRun(handshake + [first, overlapping, ahead, filler])
        #expect(run.stream(.clientToServer) == "0123456789abcdefghijk")
        #expect(run.notes(.partialRetransmission).map(\.position.packet) == [5, 7])
        #expect(run.gaps.isEmpty)
    }

    /// Sequence numbers that wrap past 2^32 in both directions.
    @Test func sequenceNumbersWrapAround() {
        var conversation = TCPConversation(clientISN: UInt32.max - 6, serverISN: UInt32.max)
        let text = String(repeating: "wrap-around ", count: 5)
        let handshake = conversation.handshake()
        var data = conversation.sendPieces(.client, text, size: 5)
        data.swapAt(1, 3)
        let packets = handshake + data + conversation.sendPieces(.server, response, size: 3) + conversation.closeCleanly()
        let run = ReassemblyRun(packets)
        #expect(run.stream(.clientToServer) == text)
        #expect(run.stream(.serverToClient) == response)
        #expect(run.summaries.first?.reason == .fin)
    }

    @Test func ipv6Connection() {
        var conversation = TCPConversation(client: .init(.init("2001:db8::10")!, 55555), server: .init(.init("2001:db8::20")!, 443))
        let run = ReassemblyRun(conversation.handshake() + conversation.sendPieces(.client, request, size: 9))
        #expect(run.stream(.clientToServer) == request)
        #expect(run.opened.first?.server.description == "[2001:db8::20]:443")
    }
}

func permutations<T>(of items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { i -> [[T]] in
        var rest = items
        let item = rest.remove(at: i)
        return permutations(of: rest).map { [item] + $0 }
    }
}
