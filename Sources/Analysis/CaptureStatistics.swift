import Capture
import Packet
import WireCore

/// Counters over a whole capture, for the closing summary.
public struct CaptureStatistics: Sendable {
    public var format: CaptureFormat?
    public var interfaces: [CaptureInterface] = []
    public var packets = 0
    public var capturedBytes: Int64 = 0
    /// Packets that the snapshot length cut short.
    public var truncatedPackets = 0
    public var tcpPackets = 0
    public var heldFragments = 0
    /// Packets that carried nothing for TCP, by reason.
    public var skipped: [SkipReason: Int] = [:]
    /// Packets the BPF filter rejected.
    public var filteredOut = 0
    public var diagnostics = 0
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?

    public init() {}

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
}
