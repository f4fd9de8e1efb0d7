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
    /// A pcapng Decryption Secrets Block (pcapng §4.7): its secrets type and data.
    case secrets(type: UInt32, data: [UInt8])
}

extension CaptureRecord {
    /// pcapng Decryption Secrets Block type 0x544c534b ("TLSK"): an NSS key log.
    public static let tlsKeyLogSecrets: UInt32 = 0x544C_534B
}
