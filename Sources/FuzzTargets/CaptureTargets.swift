import Analysis
import Capture
import Packet
import Render
import Report
import WireCore

/// Targets below TCP: capture files and packets, and the whole pipeline.
enum CaptureTargets {
    /// The bytes as a capture file, appended in chunks whose sizes come from the first byte (a
    /// reader must not care where the file's reads fall).
    static func captureReader(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunkSize = Int(input.byte()) * 37 + 1
        var reader = CaptureReader(maxRecordLength: 1 << 20)
        var records = 0
        while !input.isAtEnd {
            reader.append(input.take(chunkSize))
            while reader.next() != nil { records += 1 }
        }
        records += reader.finish().count
        _ = records
    }

    /// The link types a packet's first byte chooses from.
    static let linkTypes: [LinkType] = [.ethernet, .raw, .null, .loop, .linuxSLL, .linuxSLL2, .ipv4, .ipv6]

    /// Records of a link-type byte and a 16-bit-length packet, decoded by one decoder (its
    /// fragment table carries over), time advancing so that fragments expire.
    static func packets(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var decoder = PacketDecoder(defragmenter: IPDefragmenter(timeoutNanoseconds: 1_000_000_000, maxPendingDatagrams: 16))
        var number = 0
        while !input.isAtEnd {
            let choice = input.byte()
            let data = Array(input.chunk())
            number += 1
            let packet = CapturedPacket(
                number: number, timestamp: Timestamp(seconds: Int64(number) / 4, nanoseconds: 0),
                linkType: linkTypes[Int(choice) % linkTypes.count], data: data,
                originalLength: data.count + Int(choice >> 6) * 100)
            let decoded = decoder.decode(packet)
            _ = decoded.diagnostics.map(\.description)
        }
    }

    /// The first byte chooses the view (text at each verbosity, or JSON, with hex, and whether an
    /// HTML report is made too), whether message bytes and header fields are kept and whether
    /// the layers report their detail (frames) or, as for the call views, only the calls; the
    /// rest is a capture file read by the whole pipeline, every layer's view rendering what it
    /// produces.
    static func pipeline(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let options = input.byte()
        let json = options & 1 != 0
        var configuration = Analyzer.Configuration()
        configuration.reassembly.maxBufferedBytesPerDirection = 1 << 20
        configuration.calls.reportsArrivingMessages = options & 2 != 0
        configuration.calls.keepsMessageBodies = options & 64 == 0
        configuration.calls.keepsHeaderFields = options & 64 == 0
        if options & 128 != 0 {
            configuration.reportsLayerDetail = false
            configuration.describesFrames = false
        }
        var session = CaptureSession(configuration: configuration)
        var calls = CallView(verbosity: Int(options >> 2) % 3, hex: options & 16 != 0, json: json)
        var frames = HTTP2FrameView(json: json)
        var sessions = TLSSessionView(json: json, verbose: true)
        let table = TCPConnectionTable(verbose: true)
        var report = options & 32 != 0 ? ReportCollector(options: .init(filter: CallFilter(), style: CallJSON.Style(types: nil, preserveNames: false, maxMessageBytes: 1 << 10))) : nil
        var events: [AnalysisEvent] = []
        func render() {
            report?.add(events)
            for event in events {
                _ = calls.render(event)
                _ = frames.render(event)
                _ = sessions.render(event)
                switch event {
                case let .diagnostic(diagnostic): _ = diagnostic.description
                case let .tcp(tcpEvent):
                    _ = table.verboseLines(tcpEvent)
                    if case let .closed(summary) = tcpEvent { _ = (table.line(summary), table.detailLines(summary), table.json(summary)) }
                default: break
                }
            }
            events.removeAll(keepingCapacity: true)
        }
        session.feed(input.rest(), into: &events)
        render()
        session.finish(into: &events)
        render()
        _ = calls.statistics
        if let report { _ = Report(report, statistics: session.statistics, title: "fuzz").html }
    }
}
