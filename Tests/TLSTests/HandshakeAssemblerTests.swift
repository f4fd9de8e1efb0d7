import Testing
@testable import TLS

/// Handshake messages (RFC 8446 §4: type, 24-bit length, body) joined across the records that
/// carry them: several in one record, one cut anywhere between two.
@Suite struct HandshakeAssemblerTests {
    @Test func messagesAreTheSameWhereverTheRecordsCutThem() {
        let serverHello: [UInt8] = [2, 0, 0, 3, 0xA, 0xB, 0xC]
        let certificate: [UInt8] = [11, 0, 0, 5, 1, 2, 3, 4, 5]
        let finished: [UInt8] = [20, 0, 0, 0]
        let stream = serverHello + certificate + finished
        for first in 0...stream.count {
            for second in first...stream.count {
                var assembler = HandshakeAssembler()
                let messages = assembler.append(stream[..<first]) + assembler.append(stream[first..<second]) + assembler.append(stream[second...])
                #expect(messages.map(\.0.rawValue) == [2, 11, 20], "cut at \(first), \(second)")
                #expect(messages.map { Array($0.1) } == [[0xA, 0xB, 0xC], [1, 2, 3, 4, 5], []], "cut at \(first), \(second)")
                #expect(assembler.pendingBytes == 0)
            }
        }
    }

    @Test func aMessageCutShortWaits() {
        var assembler = HandshakeAssembler()
        #expect(assembler.append([2, 0, 0, 3, 0xA][...]).isEmpty)
        #expect(assembler.pendingBytes == 5)
    }
}
