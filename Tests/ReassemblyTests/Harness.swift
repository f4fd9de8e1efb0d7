import Analysis
import ByteStream
import Capture
import Packet
import Reassembly
import TestSupport
import WireCore

/// Writes packets into a capture file with grpcdump's own writer, reads it back through the whole
/// pipeline (reader, packet decoder, reassembler) and collects the TCP events.
struct ReassemblyRun {
    var events: [ReassemblyEvent] = []

    enum FileFormat { case pcap, pcapng }

    init(_ packets: [CapturedPacket], configuration: TCPReassembler.Configuration = .init(), finish: Bool = true,
         format: FileFormat = .pcap) {
        let file = format == .pcap ? CaptureFileBuilder.pcap(packets, nanosecond: true) : CaptureFileBuilder.pcapng(packets, nanosecond: true)
        var analyzerConfiguration = Analyzer.Configuration()
        analyzerConfiguration.reassembly = configuration
        var session = CaptureSession(configuration: analyzerConfiguration)
        var analysis: [AnalysisEvent] = []
        session.feed(file, into: &analysis)
        if finish { session.finish(into: &analysis) }
        for case let .tcp(event) in analysis { events.append(event) }
    }

    /// The stream of one direction as handed on, with each gap shown as `length` bytes of `?`.
    func stream(_ direction: Direction, connection: Int = 1) -> String {
        var text = ""
        var expected: Int64 = 0
        for event in events {
            switch event {
            case let .data(data) where data.position.direction == direction && data.position.connection.rawValue == connection:
                precondition(data.offset == expected, "data out of order")
                text += String(decoding: data.bytes, as: UTF8.self)
                expected += Int64(data.bytes.count)
            case let .gap(gap) where gap.position.direction == direction && gap.position.connection.rawValue == connection:
                precondition(gap.offset == expected, "gap out of order")
                text += String(repeating: "?", count: Int(gap.length))
                expected += gap.length
            default: continue
            }
        }
        return text
    }

    var gaps: [StreamGap] { events.compactMap { if case let .gap(g) = $0 { g } else { nil } } }
    var notes: [SegmentNote] { events.compactMap { if case let .segment(n) = $0 { n } else { nil } } }
    var summaries: [ConnectionSummary] { events.compactMap { if case let .closed(s) = $0 { s } else { nil } } }
    var opened: [ConnectionInfo] { events.compactMap { if case let .opened(i) = $0 { i } else { nil } } }
    func notes(_ kind: SegmentNote.Kind) -> [SegmentNote] { notes.filter { $0.kind == kind } }
}

extension TCPConversation {
    /// Data segments carrying `text` in pieces of `size` bytes.
    mutating func sendPieces(_ side: Side, _ text: String, size: Int) -> [CapturedPacket] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: size).map { send(side, Array(bytes[$0..<min($0 + size, bytes.count)])) }
    }

    /// FIN from each side and the ACK of each, so the connection closes cleanly.
    mutating func closeCleanly() -> [CapturedPacket] {
        [fin(.client), ack(.server), fin(.server), ack(.client)]
    }
}
