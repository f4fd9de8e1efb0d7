import WireCore

/// The classic libpcap file format: a 24-byte file header, then records of a 16-byte header
/// (seconds, micro- or nanoseconds, captured length, original length) and the packet bytes.
/// See draft-ietf-opsawg-pcap §4–§5.
struct PcapFile: Sendable {
    let littleEndian: Bool
    let nanosecond: Bool
    /// Kuznetzov's variant: 8 more bytes per record header (ifindex, protocol, pkt_type, pad).
    let modified: Bool
    let interface: CaptureInterface

    static let fileHeaderLength = 24
    var recordHeaderLength: Int { modified ? 24 : 16 }

    /// Reads the file header; `nil` when fewer than 24 bytes are available.
    init?(header reader: inout ByteReader, littleEndian: Bool, nanosecond: Bool, modified: Bool) {
        guard reader.remaining >= Self.fileHeaderLength else { return nil }
        reader.skip(4 + 2 + 2 + 4 + 4)  // magic, version major/minor, thiszone, sigfigs
        let snapLength = reader.readUInt32(littleEndian: littleEndian)!
        // draft-ietf-opsawg-pcap §4: the low 16 bits are the link type; bits 26–31 carry FCS information.
        let linkTypeField = reader.readUInt32(littleEndian: littleEndian)!
        self.littleEndian = littleEndian
        self.nanosecond = nanosecond
        self.modified = modified
        self.interface = CaptureInterface(index: 0, linkType: LinkType(rawValue: linkTypeField & 0xFFFF), snapLength: Int(snapLength))
    }

    enum RecordResult {
        case needMoreBytes
        case packet(CapturedPacket, warning: Diagnostic?)
        case corrupt(Diagnostic)
    }

    func readRecord(_ reader: inout ByteReader, packetNumber: Int, maxRecordLength: Int) -> RecordResult {
        let start = reader.offset
        guard reader.remaining >= recordHeaderLength else { return .needMoreBytes }
        let header = readHeader(&reader)
        if let problem = implausibility(of: header, maxRecordLength: maxRecordLength) {
            return .corrupt(Diagnostic(
                .capture, "pcap.record.corrupt", .error,
                "record \(packetNumber) at file offset \(start) is corrupt: \(problem); nothing after it can be read",
                packet: packetNumber, span: ByteSpan(start: start, count: recordHeaderLength)))
        }
        guard let data = reader.readBytes(header.capturedLength) else { return .needMoreBytes }
        var warning: Diagnostic?
        if header.fraction >= (nanosecond ? 1_000_000_000 : 1_000_000) {
            warning = Diagnostic(.capture, "pcap.record.bad-timestamp", .warning,
                                 "record timestamp fraction \(header.fraction) is out of range",
                                 packet: packetNumber, span: ByteSpan(start: start + 4, count: 4))
        }
        return .packet(packet(header, data: Array(data), number: packetNumber, fileOffset: start), warning: warning)
    }

    /// At the end of input, the records for bytes that do not make a whole record.
    func truncatedTail(reader: ByteReader, packetNumber: Int) -> [CaptureRecord] {
        var reader = reader
        let start = reader.offset
        let available = reader.remaining
        guard available >= recordHeaderLength else {
            return [.diagnostic(Diagnostic(
                .capture, "pcap.file.truncated", .warning,
                "file ends inside the header of record \(packetNumber) at file offset \(start)",
                packet: packetNumber, span: ByteSpan(start: start, count: available),
                length: .init(required: recordHeaderLength, available: available, source: "pcap record header")))]
        }
        let header = readHeader(&reader)
        let data = Array(reader.readRemaining())
        return [
            .diagnostic(Diagnostic(
                .capture, "pcap.file.truncated", .warning,
                "file ends inside record \(packetNumber) at file offset \(start); its \(data.count) bytes are decoded as a truncated packet",
                packet: packetNumber, span: ByteSpan(start: start, count: available),
                length: .init(required: header.capturedLength, available: data.count, source: "pcap record incl_len"))),
            .packet(packet(header, data: data, number: packetNumber, fileOffset: start)),
        ]
    }

    private struct RecordHeader {
        var seconds: UInt32, fraction: UInt32, capturedLength: Int, originalLength: Int
    }

    private func readHeader(_ reader: inout ByteReader) -> RecordHeader {
        let header = RecordHeader(
            seconds: reader.readUInt32(littleEndian: littleEndian)!,
            fraction: reader.readUInt32(littleEndian: littleEndian)!,
            capturedLength: Int(reader.readUInt32(littleEndian: littleEndian)!),
            originalLength: Int(reader.readUInt32(littleEndian: littleEndian)!))
        if modified { reader.skip(8) }
        return header
    }

    private func implausibility(of header: RecordHeader, maxRecordLength: Int) -> String? {
        // libpcap rejects records longer than the largest snapshot length it supports; allow the
        // file's own snapshot length when that is larger.
        let limit = min(maxRecordLength, max(interface.snapLength, 262_144))
        if header.capturedLength > limit {
            return "it claims \(header.capturedLength) captured bytes, more than the limit of \(limit)"
        }
        return nil
    }

    private func packet(_ header: RecordHeader, data: [UInt8], number: Int, fileOffset: Int) -> CapturedPacket {
        let nanoseconds = Int64(header.fraction) * (nanosecond ? 1 : 1000)
        return CapturedPacket(
            number: number, timestamp: Timestamp(seconds: Int64(header.seconds), nanoseconds: nanoseconds),
            linkType: interface.linkType, interface: 0, data: data,
            originalLength: max(header.originalLength, header.capturedLength), fileOffset: fileOffset)
    }
}
