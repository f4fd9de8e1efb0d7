import Capture
import WireCore

/// Writes packets into capture file bytes with grpcdump's own writers, numbering nothing: the
/// reader numbers packets as it reads them.
public enum CaptureFileBuilder {
    public static func pcap(_ packets: [CapturedPacket], linkType: LinkType? = nil, nanosecond: Bool = false,
                            littleEndian: Bool = true, snapLength: UInt32 = 262_144) -> [UInt8] {
        let writer = PcapWriter(linkType: linkType ?? packets.first?.linkType ?? .ethernet, snapLength: snapLength,
                                nanosecond: nanosecond, littleEndian: littleEndian)
        var bytes = writer.fileHeader()
        for packet in packets { bytes += writer.record(timestamp: packet.timestamp, data: packet.data, originalLength: packet.originalLength) }
        return bytes
    }

    /// One section; one interface per distinct link type, in order of first use.
    public static func pcapng(_ packets: [CapturedPacket], littleEndian: Bool = true, nanosecond: Bool = false) -> [UInt8] {
        let writer = PcapngWriter(littleEndian: littleEndian)
        var bytes = writer.sectionHeader()
        var interfaces: [LinkType] = []
        for packet in packets {
            var index = interfaces.firstIndex(of: packet.linkType)
            if index == nil {
                interfaces.append(packet.linkType)
                bytes += writer.interfaceDescription(linkType: packet.linkType, resolution: nanosecond ? 9 : 6)
                index = interfaces.count - 1
            }
            bytes += writer.enhancedPacket(interface: index!, timestamp: packet.timestamp, data: packet.data,
                                           originalLength: packet.originalLength, unitsPerSecond: nanosecond ? 1_000_000_000 : 1_000_000)
        }
        return bytes
    }

    /// Reads capture bytes back, fed in chunks of `chunkSize`, returning every record.
    public static func read(_ bytes: [UInt8], chunkSize: Int = 4096) -> [CaptureRecord] {
        var reader = CaptureReader()
        var records: [CaptureRecord] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            reader.append(bytes[start..<end])
            while let record = reader.next() { records.append(record) }
            start = end
        }
        return records + reader.finish()
    }
}

extension [CaptureRecord] {
    public var packets: [CapturedPacket] { compactMap { if case let .packet(p) = $0 { p } else { nil } } }
    public var diagnostics: [Diagnostic] { compactMap { if case let .diagnostic(d) = $0 { d } else { nil } } }
}
