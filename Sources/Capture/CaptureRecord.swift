import WireCore

/// What a `CaptureReader` yields, in file order.
public enum CaptureRecord: Sendable {
    /// The container format, once its header has been read.
    case format(CaptureFormat)
    /// An interface declared by the file (pcap: the one of the file header; pcapng: each IDB).
    case interface(CaptureInterface)
    case packet(CapturedPacket)
    /// A problem in the container itself (corrupt or truncated records, unknown format).
    case diagnostic(Diagnostic)
}
