import WireCore

/// The pcapng format (draft-ietf-opsawg-pcapng): a sequence of sections, each a Section Header
/// Block followed by Interface Description Blocks and packet blocks. Interfaces of one file may
/// have different link types; each packet names its interface.
struct PcapngSection: Sendable {
    var littleEndian: Bool
    var interfaces: [PcapngInterface] = []

    /// pcapng §4.1: the block type of a Section Header Block, the same in both byte orders.
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let interfaceDescriptionType: UInt32 = 1
    static let obsoletePacketType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6
    /// pcapng §4.7 Decryption Secrets Block.
    static let decryptionSecretsType: UInt32 = 0x0A

    enum BlockResult {
        case needMoreBytes
        /// `numbered`: the block was a packet block, so it used up a packet number (even if skipped).
        case records([CaptureRecord], numbered: Bool)
        case corrupt(Diagnostic)
    }

    /// Reads one whole block and advances `reader` past it.
    static func readBlock(
        _ reader: inout ByteReader, section: inout PcapngSection?, packetNumber: Int, maxBlockLength: Int
    ) -> BlockResult {
        let start = reader.offset
        guard let rawType = reader.peekUInt32() else { return .needMoreBytes }
        let littleEndian: Bool
        if rawType == sectionHeaderType {
            // pcapng §4.1: the byte-order magic tells the byte order of the whole section.
            guard let magic = reader.peekUInt32(at: 8) else { return .needMoreBytes }
            switch magic {
            case byteOrderMagic: littleEndian = false
            case byteOrderMagic.byteSwapped: littleEndian = true
            default:
                return .corrupt(corrupt("section header at file offset \(start) has an invalid byte-order magic", start, packetNumber))
            }
        } else if let section {
            littleEndian = section.littleEndian
        } else {
            return .corrupt(corrupt("block at file offset \(start) comes before any section header", start, packetNumber))
        }
        let type = littleEndian ? rawType.byteSwapped : rawType
        guard let totalLength = reader.peekUInt32(at: 4, littleEndian: littleEndian).map(Int.init) else { return .needMoreBytes }
        // pcapng §3.1: the total length counts the 12 bytes of framing and is a multiple of 4.
        guard totalLength >= 12, totalLength % 4 == 0, totalLength <= maxBlockLength else {
            return .corrupt(corrupt("block at file offset \(start) has an invalid length \(totalLength)", start, packetNumber))
        }
        guard reader.remaining >= totalLength else { return .needMoreBytes }
        reader.skip(8)
        let body = ByteReader(reader.readBytes(totalLength - 12)!, baseOffset: start + 8)
        let trailer = reader.readUInt32(littleEndian: littleEndian)!
        guard Int(trailer) == totalLength else {
            return .corrupt(corrupt("block at file offset \(start) has a trailing length \(trailer) that differs from its leading length \(totalLength)", start, packetNumber))
        }

        switch type {
        case sectionHeaderType:
            section = PcapngSection(littleEndian: littleEndian)
            return .records([], numbered: false)
        case interfaceDescriptionType:
            var body = body
            guard let interface = PcapngInterface(body: &body, index: section!.interfaces.count, littleEndian: littleEndian) else {
                return .corrupt(corrupt("interface description block at file offset \(start) is too short", start, packetNumber))
            }
            section!.interfaces.append(interface)
            return .records([.interface(interface.description)], numbered: false)
        case enhancedPacketType, obsoletePacketType, simplePacketType:
            return .records(section!.packet(type: type, body: body, blockStart: start, number: packetNumber), numbered: true)
        case decryptionSecretsType:
            // Secrets Type (4), Secrets Length (4), Secrets Data, padded to 32 bits; options after.
            var body = body
            guard let secretsType = body.readUInt32(littleEndian: littleEndian), let length = body.readUInt32(littleEndian: littleEndian),
                  let data = body.readBytes(Int(length)) else {
                return .records([.diagnostic(Diagnostic(.capture, "pcapng.secrets.short", .warning,
                                                        "decryption secrets block at file offset \(start) is shorter than its secrets length; skipped",
                                                        packet: nil, span: ByteSpan(start: start, count: Int(totalLength))))], numbered: false)
            }
            return .records([.secrets(type: secretsType, data: Array(data))], numbered: false)
        default:
            // Name resolution, statistics, custom blocks: nothing to decode here.
            return .records([], numbered: false)
        }
    }

    private static func corrupt(_ message: String, _ start: Int, _ packetNumber: Int) -> Diagnostic {
        Diagnostic(.capture, "pcapng.block.corrupt", .error, message + "; nothing after it can be read",
                   span: ByteSpan(start: start, count: 8))
    }

    /// Decodes a packet block body (complete or cut short by the end of the file).
    private func packet(type: UInt32, body: ByteReader, blockStart: Int, number: Int) -> [CaptureRecord] {
        var body = body
        let interfaceIndex: Int, timestampUnits: UInt64?, capturedLength: Int, originalLength: Int
        switch type {
        case Self.simplePacketType:
            // pcapng §4.4: no interface id (always 0), no timestamp, captured length implied.
            guard let original = body.readUInt32(littleEndian: littleEndian) else { return [short(blockStart, number)] }
            interfaceIndex = 0
            timestampUnits = nil
            originalLength = Int(original)
            let snap = interfaces.first.map { $0.description.snapLength } ?? 0
            capturedLength = min(originalLength, snap == 0 ? Int.max : snap, body.remaining)
        default:
            let obsolete = type == Self.obsoletePacketType
            guard body.remaining >= 20 else { return [short(blockStart, number)] }
            // pcapng §4.3 (EPB): interface id(4); Appendix A (obsolete PB): interface id(2), drops(2).
            interfaceIndex = obsolete ? Int(body.readUInt16(littleEndian: littleEndian)!) : Int(body.readUInt32(littleEndian: littleEndian)!)
            if obsolete { body.skip(2) }
            let high = UInt64(body.readUInt32(littleEndian: littleEndian)!)
            let low = UInt64(body.readUInt32(littleEndian: littleEndian)!)
            timestampUnits = high << 32 | low
            capturedLength = Int(body.readUInt32(littleEndian: littleEndian)!)
            originalLength = Int(body.readUInt32(littleEndian: littleEndian)!)
        }
        guard interfaceIndex < interfaces.count else {
            return [.diagnostic(Diagnostic(
                .capture, "pcapng.packet.unknown-interface", .warning,
                "packet block at file offset \(blockStart) names interface \(interfaceIndex), but only \(interfaces.count) were declared; packet skipped",
                packet: number, span: ByteSpan(start: blockStart, count: 8 + body.offset - body.baseOffset)))]
        }
        var records: [CaptureRecord] = []
        let available = body.remaining
        let data = Array(body.readBytes(min(capturedLength, available))!)
        if capturedLength > available {
            records.append(.diagnostic(Diagnostic(
                .capture, "pcapng.packet.length", .warning,
                "packet block at file offset \(blockStart) claims \(capturedLength) captured bytes but holds \(available); decoded as truncated",
                packet: number, span: ByteSpan(start: blockStart, count: 8),
                length: .init(required: capturedLength, available: available, source: "pcapng captured packet length"))))
        }
        let interface = interfaces[interfaceIndex]
        records.append(.packet(CapturedPacket(
            number: number, timestamp: timestampUnits.map(interface.timestamp) ?? .zero,
            linkType: interface.description.linkType, interface: interfaceIndex, data: data,
            originalLength: max(originalLength, data.count), fileOffset: blockStart)))
        return records
    }

    private func short(_ blockStart: Int, _ number: Int) -> CaptureRecord {
        .diagnostic(Diagnostic(.capture, "pcapng.packet.short", .warning,
                               "packet block at file offset \(blockStart) is too short for its fixed fields; skipped",
                               packet: number, span: ByteSpan(start: blockStart, count: 8)))
    }

    /// At the end of input, the records for a block the file ends in the middle of: its packet
    /// (as a truncated one) when the block is a packet block whose fixed fields are complete.
    static func truncatedTail(_ section: PcapngSection?, reader: ByteReader, packetNumber: Int) -> [CaptureRecord] {
        let start = reader.offset
        let available = reader.remaining
        let required = section.flatMap { reader.peekUInt32(at: 4, littleEndian: $0.littleEndian) }.map(Int.init) ?? 12
        var records: [CaptureRecord] = [.diagnostic(Diagnostic(
            .capture, "pcapng.file.truncated", .warning,
            "file ends inside the block at file offset \(start)",
            packet: packetNumber, span: ByteSpan(start: start, count: available),
            length: .init(required: max(required, 12), available: available, source: "pcapng block total length")))]
        guard let section, available > 8, let type = reader.peekUInt32(littleEndian: section.littleEndian),
              type == enhancedPacketType || type == obsoletePacketType || type == simplePacketType
        else { return records }
        var body = reader
        body.skip(8)
        let partial = section.packet(type: type, body: ByteReader(body.readRemaining(), baseOffset: start + 8), blockStart: start, number: packetNumber)
        // "Claims more than it holds" and "too short" repeat the truncation just reported.
        records += partial.filter { if case .diagnostic(let d) = $0 { !["pcapng.packet.length", "pcapng.packet.short"].contains(d.code) } else { true } }
        return records
    }
}

/// An interface of a pcapng section, with what is needed to convert its timestamps.
struct PcapngInterface: Sendable {
    var description: CaptureInterface
    /// Timestamp units per second (`if_tsresol`, default 10^6).
    var unitsPerSecond: UInt64 = 1_000_000
    /// Seconds added to every timestamp (`if_tsoffset`).
    var offsetSeconds: Int64 = 0

    /// pcapng §4.2: link type(2), reserved(2), snap length(4), options.
    init?(body: inout ByteReader, index: Int, littleEndian: Bool) {
        guard let linkType = body.readUInt16(littleEndian: littleEndian), body.skip(2),
              let snapLength = body.readUInt32(littleEndian: littleEndian)
        else { return nil }
        description = CaptureInterface(index: index, linkType: LinkType(rawValue: UInt32(linkType)), snapLength: Int(snapLength))
        // pcapng §3.5: options are code(2), length(2), value padded to 4 bytes.
        while let code = body.readUInt16(littleEndian: littleEndian), let length = body.readUInt16(littleEndian: littleEndian) {
            guard code != 0, let value = body.readBytes(Int(length)) else { break }
            body.skip((4 - Int(length) % 4) % 4)
            switch code {
            case 2: description.name = String(decoding: value, as: UTF8.self)
            case 9 where length == 1:
                let resolution = value.first!
                let exponent = UInt64(resolution & 0x7F)
                if resolution & 0x80 == 0, exponent <= 19 {
                    unitsPerSecond = (0..<exponent).reduce(1) { power, _ in power * 10 }
                } else if resolution & 0x80 != 0, exponent <= 63 {
                    unitsPerSecond = 1 << exponent
                }
            case 14 where length == 8:
                var reader = ByteReader(value)
                offsetSeconds = Int64(bitPattern: reader.readUInt64(littleEndian: littleEndian)!)
            default: break
            }
        }
    }

    func timestamp(units: UInt64) -> Timestamp {
        let seconds = units / unitsPerSecond
        let fraction = units % unitsPerSecond
        // fraction * 1e9 can overflow 64 bits for fine resolutions: divide the full-width product.
        let product = fraction.multipliedFullWidth(by: 1_000_000_000)
        let nanoseconds = unitsPerSecond.dividingFullWidth((product.high, product.low)).quotient
        return Timestamp(seconds: Int64(clamping: seconds) &+ offsetSeconds, nanoseconds: Int64(nanoseconds))
    }
}
