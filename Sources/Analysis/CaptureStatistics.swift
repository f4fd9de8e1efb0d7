import Capture
import Packet
import WireCore

/// Counters over a whole capture, for the closing summary. A value with `merge`, so that parts
/// of a capture decoded apart add up.
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
    /// The layers above TCP; `nil` when they were not decoded (`--layer tcp`).
    public var http2: HTTP2Statistics?

    public init() {}

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    /// Adds the counts of `other`, a later part of the same capture (or another shard of it).
    public mutating func merge(_ other: CaptureStatistics) {
        format = format ?? other.format
        interfaces += other.interfaces
        packets += other.packets
        capturedBytes += other.capturedBytes
        truncatedPackets += other.truncatedPackets
        tcpPackets += other.tcpPackets
        heldFragments += other.heldFragments
        skipped.merge(other.skipped, uniquingKeysWith: +)
        filteredOut += other.filteredOut
        diagnostics += other.diagnostics
        firstTime = [firstTime, other.firstTime].compactMap { $0 }.min()
        lastTime = [lastTime, other.lastTime].compactMap { $0 }.max()
        if let theirs = other.http2 {
            if http2 == nil { http2 = HTTP2Statistics() }
            http2!.merge(theirs)
        }
    }
}
