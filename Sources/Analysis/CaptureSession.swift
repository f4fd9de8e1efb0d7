import Capture
import TLS
import WireCore

/// Bytes of a capture file in, analysis events out: the reader and the analyzer joined, with an
/// optional packet filter between them. Whoever owns the I/O (the CLI, a test) feeds it chunks.
public struct CaptureSession: Sendable {
    public private(set) var reader = CaptureReader()
    public private(set) var analyzer: Analyzer
    /// Decides which packets go on to decoding (e.g. a BPF filter); `nil` lets all through.
    public var filter: (@Sendable (CapturedPacket) -> Bool)?

    public init(configuration: Analyzer.Configuration = Analyzer.Configuration(), filter: (@Sendable (CapturedPacket) -> Bool)? = nil) {
        self.analyzer = Analyzer(configuration: configuration)
        self.filter = filter
    }

    public var statistics: CaptureStatistics { analyzer.statistics }

    /// Whether the input held anything readable as a capture (at least its header).
    public var foundCapture: Bool { analyzer.statistics.format != nil }

    /// Whether records came from elsewhere than capture file bytes (a live capture).
    private var recordsGiven = false

    public mutating func feed<Bytes: Collection>(_ chunk: Bytes, into events: inout [AnalysisEvent]) where Bytes.Element == UInt8 {
        reader.append(chunk)
        while let record = reader.next() { filterAndIngest(record, into: &events) }
    }

    /// Call once at the end of input.
    public mutating func finish(into events: inout [AnalysisEvent]) {
        if !recordsGiven {
            for record in reader.finish() { filterAndIngest(record, into: &events) }
        }
        analyzer.finish(into: &events)
    }

    /// Secrets from outside the capture (a key log that grew during a live capture).
    public mutating func addSecrets(_ keys: KeyLog, into events: inout [AnalysisEvent]) {
        analyzer.addSecrets(keys, into: &events)
    }

    /// A record that did not come from capture file bytes (a live capture's packets).
    public mutating func ingest(_ record: CaptureRecord, into events: inout [AnalysisEvent]) {
        recordsGiven = true
        filterAndIngest(record, into: &events)
    }

    private mutating func filterAndIngest(_ record: CaptureRecord, into events: inout [AnalysisEvent]) {
        var passes = true
        if case let .packet(packet) = record, let filter { passes = filter(packet) }
        analyzer.ingest(record, passesFilter: passes, into: &events)
    }
}
