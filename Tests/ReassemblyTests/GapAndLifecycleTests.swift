import Capture
import Packet
import Reassembly
import Testing
import TestSupport
import WireCore

@Suite struct GapTests {
    /// A segment lost from the capture but acknowledged by the peer: a gap at the right place,
    /// the data after it handed on, nothing spliced — once the connection's next packets show the
    /// hole was not a reordering (the ACK may come before the data in a reordered capture).
    @Test func lostSegmentAcknowledgedByThePeerIsAGap() throws {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "aaaaabbbbbccccc", size: 5)
        let ack = conversation.ack(.server)
        let early = ReassemblyRun(handshake + [data[0], data[2], ack], finish: false)
        #expect(early.stream(.clientToServer) == "aaaaa", "the hole is not yet given up")
        let later = (0..<40).map { _ in conversation.ack(.server) }
        let run = ReassemblyRun(handshake + [data[0], data[2], ack] + later, finish: false)
        #expect(run.stream(.clientToServer) == "aaaaa?????ccccc")
        let gap = try #require(run.gaps.first)
        #expect(gap.offset == 5 && gap.length == 5 && gap.reason == .notCaptured)
        // Declared by the packet 32 after the ACK that proved it (packet 6).
        #expect(gap.position.packet == 6 + 32 && gap.position.direction == .clientToServer)
        #expect(gap.sequenceRange?.first == 1006 && gap.sequenceRange?.end == 1011)
    }

    /// In a reordered capture the ACK may come before the data it acknowledges: no gap.
    @Test func dataArrivingAfterItsAcknowledgementIsNoGap() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "aaaaabbbbbccccc", size: 5)
        let ack = conversation.ack(.server)
        let run = ReassemblyRun(handshake + [data[0], data[2], ack, data[1]], finish: false)
        #expect(run.stream(.clientToServer) == "aaaaabbbbbccccc" && run.gaps.isEmpty)
    }

    /// A connection's SYN captured after its first data (a reordered capture): the handshake
    /// still counts, and the data is in order.
    @Test func aSYNAfterTheFirstDataStillOpensTheConnection() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.send(.client, Array("hello".utf8))
        let run = ReassemblyRun([data] + handshake)
        #expect(run.opened.first?.clientEvidence == .syn)
        #expect(run.stream(.clientToServer) == "hello" && run.gaps.isEmpty)
    }

    @Test func holeStillOpenAtTheEndIsAGap() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "aaaaabbbbbccccc", size: 5)
        let run = ReassemblyRun(handshake + [data[0], data[2]])
        #expect(run.stream(.clientToServer) == "aaaaa?????ccccc")
        #expect(run.summaries.first?.reason == .captureEnded)
        #expect(run.summaries.first?.clientToServer.gaps == 1 && run.summaries.first?.clientToServer.gapBytes == 5)
    }

    @Test func lastSegmentBeforeTheFINNeverSeen() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, "aaaaabbbbb", size: 5)
        let run = ReassemblyRun(handshake + [data[0]] + conversation.closeCleanly())
        #expect(run.stream(.clientToServer) == "aaaaa?????")
        #expect(run.summaries.first?.reason == .fin)
    }

    @Test func bufferLimitTurnsAHoleIntoAGap() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.sendPieces(.client, String(repeating: "x", count: 100), size: 10)
        var configuration = TCPReassembler.Configuration()
        configuration.maxBufferedBytesPerDirection = 35
        let run = ReassemblyRun(handshake + [data[0]] + data[2...], configuration: configuration, finish: false)
        #expect(run.gaps.map(\.reason) == [.bufferLimit])
        #expect(run.stream(.clientToServer) == "xxxxxxxxxx??????????" + String(repeating: "x", count: 80))
    }

    @Test func snapLengthCutPayloadIsAGapOfItsOwnKind() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        var cut = conversation.send(.client, Array("0123456789".utf8))
        cut.data.removeLast(4)
        let next = conversation.send(.client, Array("abc".utf8))
        let run = ReassemblyRun(handshake + [cut, next])
        #expect(run.stream(.clientToServer) == "012345????abc")
        #expect(run.gaps.map(\.reason) == [.snapLength])
    }
}

@Suite struct SegmentKindTests {
    @Test func keepAlivesAreNotData() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.send(.client, Array("abc".utf8))
        let sequence = conversation.clientSequence &- 1
        let keepAliveEmpty = conversation.segment(.client, flags: .ack, sequence: sequence)
        let keepAliveByte = conversation.segment(.client, flags: .ack, payload: [0x63], sequence: sequence)
        let run = ReassemblyRun(handshake + [data, keepAliveEmpty, keepAliveByte])
        #expect(run.stream(.clientToServer) == "abc")
        #expect(run.notes(.keepAlive).map(\.position.packet) == [5, 6])
        #expect(run.notes(.retransmission).isEmpty)
        #expect(run.summaries.first?.clientToServer.keepAlives == 2)
    }

    @Test func zeroWindowProbesAreRecognised() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.send(.client, Array("abc".utf8))
        let full = conversation.ack(.server, window: 0)
        let probe = conversation.segment(.client, flags: .ack, payload: Array("d".utf8), sequence: conversation.clientSequence)
        // The receiver took the byte; the sender goes on with the rest, repeating the probe's byte.
        let open = conversation.ack(.server, window: 1000)
        let rest = conversation.segment(.client, flags: .ack, payload: Array("defg".utf8), sequence: conversation.clientSequence)
        let run = ReassemblyRun(handshake + [data, full, probe, open, rest])
        #expect(run.stream(.clientToServer) == "abcdefg")
        #expect(run.notes(.zeroWindowProbe).map(\.position.packet) == [6])
        #expect(run.summaries.first?.clientToServer.zeroWindowProbes == 1)
    }
}

@Suite struct LifecycleTests {
    @Test func resetClosesAtOnceAndTrailingPacketsAreAbsorbed() {
        var conversation = TCPConversation()
        let packets = conversation.handshake() + [conversation.send(.client, Array("abc".utf8)), conversation.rst(.server), conversation.ack(.client)]
        let run = ReassemblyRun(packets, finish: false)
        #expect(run.summaries.map(\.reason) == [.rst])
        #expect(run.opened.count == 1)
    }

    @Test func portReuseStartsANewConnection() {
        var first = TCPConversation(clientISN: 100)
        var second = TCPConversation(clientISN: 900_000)
        second.time = first.time.adding(nanoseconds: 5_000_000_000)
        let packets = first.handshake() + [first.send(.client, Array("one".utf8))] + first.closeCleanly()
            + second.handshake() + [second.send(.client, Array("two".utf8))]
        let run = ReassemblyRun(packets)
        #expect(run.opened.map(\.id.rawValue) == [1, 2])
        #expect(run.stream(.clientToServer, connection: 1) == "one")
        #expect(run.stream(.clientToServer, connection: 2) == "two")
        #expect(run.summaries.map(\.reason) == [.fin, .captureEnded])
    }

    @Test func newSYNOnAnOpenConnectionWithAnotherISNIsPortReuse() {
        var first = TCPConversation(clientISN: 100)
        var second = TCPConversation(clientISN: 7_000)
        let packets = first.handshake() + [first.send(.client, Array("one".utf8))] + second.handshake()
        let run = ReassemblyRun(packets)
        #expect(run.summaries.map(\.reason) == [.portReused, .captureEnded])
    }

    @Test func repeatedSYNIsARetransmissionNotANewConnection() {
        var conversation = TCPConversation()
        let syn = conversation.segment(.client, flags: .syn, consumes: 1)
        let again = conversation.segment(.client, flags: .syn, sequence: conversation.clientSequence &- 1)
        let run = ReassemblyRun([syn, again])
        #expect(run.opened.count == 1)
        #expect(run.notes(.synRetransmission).count == 1)
    }

    @Test func idleConnectionsAreClosedAndFreed() {
        var conversation = TCPConversation()
        var packets = conversation.handshake()
        conversation.time = conversation.time.adding(nanoseconds: 700_000_000_000)
        var other = TCPConversation(client: .init(.init("10.0.0.9")!, 40001), server: .init(.init("10.0.0.2")!, 50051))
        other.time = conversation.time
        packets += other.handshake()
        let run = ReassemblyRun(packets, finish: false)
        #expect(run.summaries.map(\.reason) == [.idle])
        #expect(run.summaries.first?.info.id.rawValue == 1)
    }

    @Test func memoryStaysBoundedOverManyConnections() {
        var reassembler = TCPReassembler()
        var decoder = PacketDecoder()
        var events: [ReassemblyEvent] = []
        var maxOpen = 0
        for index in 0..<2_000 {
            var conversation = TCPConversation(client: .init(.init("10.1.0.1")!, UInt16(30_000 + index % 5_000)),
                                               server: .init(.init("10.1.0.2")!, 50051), clientISN: UInt32(index * 10_000))
            conversation.time = Timestamp(seconds: 1_700_000_000 + Int64(index), nanoseconds: 0)
            for packet in conversation.handshake() + [conversation.send(.client, [1, 2, 3])] + conversation.closeCleanly() {
                guard case let .tcp(source, destination, segment) = decoder.decode(packet).content else { continue }
                reassembler.ingest(segment, from: source, to: destination, packet: 1, time: packet.timestamp, into: &events)
                maxOpen = max(maxOpen, reassembler.openConnectionCount)
            }
            events.removeAll()
        }
        #expect(maxOpen == 1)
        #expect(reassembler.openConnectionCount == 0)
    }
}

@Suite struct ClientInferenceTests {
    /// Capture started mid-connection: no handshake, roles from the ports.
    @Test func midConnectionStartInfersRolesFromPorts() {
        var conversation = TCPConversation(clientISN: 123_456, serverISN: 987_654)
        _ = conversation.handshake()  // happened before the capture started
        let packets = [conversation.send(.server, Array("late response".utf8)), conversation.send(.client, Array("next request".utf8))]
        let run = ReassemblyRun(packets)
        #expect(run.opened.first?.clientEvidence == .ports)
        #expect(run.opened.first?.client.port == 40000)
        #expect(run.stream(.serverToClient) == "late response")
        #expect(run.stream(.clientToServer) == "next request")
        #expect(run.summaries.first?.sawSYN == false)
    }

    @Test func synAckAloneIdentifiesTheClient() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let run = ReassemblyRun(Array(handshake.dropFirst()))
        #expect(run.opened.first?.clientEvidence == .synAck)
        #expect(run.opened.first?.client.port == 40000)
    }

    /// Ports mislead (the client uses 8080, the server an ephemeral port), but the HTTP/2 preface
    /// shows who the client is.
    @Test func http2PrefaceCorrectsThePortGuess() {
        var conversation = TCPConversation(client: .init(.init("10.0.0.1")!, 8080), server: .init(.init("10.0.0.2")!, 45000))
        _ = conversation.handshake()
        let preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        let run = ReassemblyRun([conversation.send(.client, Array(preface.utf8)), conversation.send(.server, [0, 0, 0, 4, 0, 0, 0, 0, 0])])
        #expect(run.opened.first?.clientEvidence == .ports)
        #expect(run.opened.first?.client.port == 45000)  // the wrong guess at first
        #expect(run.summaries.first?.info.client.port == 8080)
        #expect(run.summaries.first?.info.clientEvidence == .http2Preface)
        #expect(run.stream(.clientToServer) == preface)
        #expect(run.events.contains { if case .rolesChanged = $0 { true } else { false } })
    }

    @Test(arguments: [(UInt16(50051), UInt16(43210), true), (443, 8080, true), (8080, 55000, true), (40000, 50051, false),
                      (1000, 2000, true), (7000, 45000, true), (45000, 45001, true)])
    func portHeuristic(a: UInt16, b: UInt16, aIsServer: Bool) {
        var conversation = TCPConversation(client: .init(.init("10.0.0.1")!, a), server: .init(.init("10.0.0.2")!, b))
        let run = ReassemblyRun([conversation.send(.client, [1])])
        #expect((run.opened.first?.server.port == a) == aIsServer)
    }
}

@Suite struct UnseenFINTests {
    /// The peer acknowledged a FIN that the capture missed: no gap, the FIN is not data.
    @Test func ackOfAnUncapturedFINIsNotAGap() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.send(.client, Array("abc".utf8))
        _ = conversation.fin(.client)  // not captured
        let run = ReassemblyRun(handshake + [data, conversation.ack(.server)])
        #expect(run.stream(.clientToServer) == "abc")
        #expect(run.gaps.isEmpty)
    }

    @Test func ackPastMissingDataAndFINIsAGapOfTheDataOnly() {
        var conversation = TCPConversation()
        let handshake = conversation.handshake()
        let data = conversation.send(.client, Array("abc".utf8))
        _ = conversation.send(.client, Array("defg".utf8))  // not captured
        _ = conversation.fin(.client)  // not captured
        let run = ReassemblyRun(handshake + [data, conversation.ack(.server)])
        #expect(run.stream(.clientToServer) == "abc????")
    }
}
