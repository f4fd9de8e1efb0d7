import WireCore

/// Writes the classic pcap format (draft-ietf-opsawg-pcap), in either byte order and with
/// micro- or nanosecond timestamps. The caller concatenates `fileHeader()` and `record(...)`s.
public struct PcapWriter: Sendable {
    public var linkType: LinkType
    public var snapLength: UInt32
    public var nanosecond: Bool
    public var littleEndian: Bool

    public init(linkType: LinkType, snapLength: UInt32 = 262_144, nanosecond: Bool = false, littleEndian: Bool = true) {
        self.linkType = linkType
        self.snapLength = snapLength
        self.nanosecond = nanosecond
        self.littleEndian = littleEndian
    }

    public func fileHeader() -> [UInt8] {
        var writer = ByteWriter(littleEndian: littleEndian)
        writer.u32(nanosecond ? CaptureFormat.pcapNanosecondMagic : CaptureFormat.pcapMicrosecondMagic)
        writer.u16(2)
        writer.u16(4)
        writer.u32(0)  // thiszone
        writer.u32(0)  // sigfigs
        writer.u32(snapLength)
        writer.u32(linkType.rawValue)
        return writer.bytes
    }

    /// One record; `data` longer than the snapshot length is cut to it, as libpcap would.
    public func record(timestamp: Timestamp, data: [UInt8], originalLength: Int? = nil) -> [UInt8] {
        let captured = data.prefix(Int(snapLength))
        var writer = ByteWriter(littleEndian: littleEndian)
        writer.u32(UInt32(truncatingIfNeeded: timestamp.seconds))
        writer.u32(UInt32(nanosecond ? timestamp.nanoseconds : timestamp.nanoseconds / 1000))
        writer.u32(UInt32(captured.count))
        writer.u32(UInt32(originalLength ?? data.count))
        writer.append(captured)
        return writer.bytes
    }
}
