import WireCore

/// A streaming reader of pcap and pcapng capture files.
///
/// Feed it bytes as they arrive (`append`) and pull records (`next`), which returns `nil` when it
/// needs more bytes. At the end of input, `finish()` reports whatever was cut short; a record that
/// the file ends in the middle of is still returned, as a truncated packet, when its header is
/// complete. The reader never traps: corrupt input ends in a diagnostic.
///
/// Pure Swift rather than libpcap: libpcap's pcapng reader refuses files whose interfaces have
/// different link types, and cannot be fed from memory.
public struct CaptureReader: Sendable {
    /// Records longer than this are taken as corruption, not as packets.
    public var maxRecordLength: Int

    private enum State: Sendable {
        case start
        case pcap(PcapFile)
        case pcapng(PcapngSection?)
        /// After an unrecoverable error: everything else is ignored.
        case stopped
    }

    private var state: State = .start
    private var buffer: [UInt8] = []
    private var position = 0
    /// File offset of `buffer[0]`.
    private var bufferFileOffset = 0
    private var pending: [CaptureRecord] = []
    private var pendingIndex = 0
    private var finished = false

    /// Packet records returned so far (complete or truncated).
    public private(set) var packetCount = 0
    /// Whether a record ended in an unrecoverable error (nothing after it can be read).
    public var hasStopped: Bool { if case .stopped = state { return true } else { return false } }
    /// Total bytes appended.
    public var bytesAppended: Int { bufferFileOffset + buffer.count }

    public init(maxRecordLength: Int = 64 << 20) {
        self.maxRecordLength = maxRecordLength
    }

    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if case .stopped = state { return }
        if position > 0, position >= buffer.count / 2 {
            buffer.removeSubrange(0..<position)
            bufferFileOffset += position
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next record, or `nil` when more bytes are needed (or the input is done).
    public mutating func next() -> CaptureRecord? {
        while true {
            if pendingIndex < pending.count {
                defer {
                    pendingIndex += 1
                    if pendingIndex == pending.count { pending.removeAll(keepingCapacity: true); pendingIndex = 0 }
                }
                return pending[pendingIndex]
            }
            guard step() else { return nil }
        }
    }

    /// Call once at the end of input: returns the records for whatever was left incomplete.
    public mutating func finish() -> [CaptureRecord] {
        var records: [CaptureRecord] = []
        while let record = next() { records.append(record) }
        guard !finished else { return records }
        finished = true
        let leftover = buffer.count - position
        switch state {
        case .stopped:
            break
        case .start:
            let message = bytesAppended == 0
                ? "empty input: not a capture file"
                : "not a capture file: only \(bytesAppended) bytes, too short for a pcap or pcapng header"
            records.append(.diagnostic(Diagnostic(.capture, "capture.not-a-capture", .error, message, span: ByteSpan(start: 0, count: bytesAppended))))
        case let .pcap(file):
            if leftover > 0 { records += file.truncatedTail(reader: tailReader(), packetNumber: packetCount + 1) }
        case let .pcapng(section):
            if leftover > 0 { records += PcapngSection.truncatedTail(section, reader: tailReader(), packetNumber: packetCount + 1) }
        }
        packetCount += records.packetCount
        position = buffer.count
        state = .stopped
        return records
    }

    private func tailReader() -> ByteReader {
        ByteReader(buffer[position...], baseOffset: bufferFileOffset + position)
    }

    /// Consumes one unit of input (a header, a record or a block) into `pending`.
    /// Returns false when more bytes are needed or the reader has stopped.
    private mutating func step() -> Bool {
        let reader = tailReader()
        switch state {
        case .stopped:
            return false
        case .start:
            guard let magic = reader.peekUInt32() else { return false }
            guard let format = CaptureFormat.recognise(UInt32BE(value: magic)) else {
                let what = CaptureFormat.describeForeign(reader.bytes)
                stop(Diagnostic(.capture, "capture.not-a-capture", .error, "not a capture file: \(what)", span: ByteSpan(start: 0, count: 4)))
                return true
            }
            switch format {
            case let .pcap(littleEndian, nanosecond, modified):
                var header = reader
                guard let file = PcapFile(header: &header, littleEndian: littleEndian, nanosecond: nanosecond, modified: modified) else { return false }
                consume(to: header.offset)
                pending += [.format(format), .interface(file.interface)]
                state = .pcap(file)
            case .pcapng:
                pending.append(.format(format))
                state = .pcapng(nil)
            }
            return true
        case let .pcap(file):
            var record = reader
            switch file.readRecord(&record, packetNumber: packetCount + 1, maxRecordLength: maxRecordLength) {
            case .needMoreBytes:
                return false
            case let .packet(packet, warning):
                consume(to: record.offset)
                packetCount += 1
                if let warning { pending.append(.diagnostic(warning)) }
                pending.append(.packet(packet))
            case let .corrupt(diagnostic):
                stop(diagnostic)
            }
            return true
        case let .pcapng(section):
            var block = reader
            var current = section
            switch PcapngSection.readBlock(&block, section: &current, packetNumber: packetCount + 1, maxBlockLength: maxRecordLength) {
            case .needMoreBytes:
                return false
            case let .records(records, numbered):
                consume(to: block.offset)
                state = .pcapng(current)
                if numbered { packetCount += 1 }
                pending += records
            case let .corrupt(diagnostic):
                stop(diagnostic)
            }
            return true
        }
    }

    private mutating func consume(to fileOffset: Int) {
        position = fileOffset - bufferFileOffset
    }

    private mutating func stop(_ diagnostic: Diagnostic) {
        pending.append(.diagnostic(diagnostic))
        state = .stopped
        buffer = []
        position = 0
    }
}

extension [CaptureRecord] {
    var packetCount: Int { reduce(0) { count, record in if case .packet = record { count + 1 } else { count } } }
}
