import WireCore

/// Writes pcapng blocks (draft-ietf-opsawg-pcapng): a section header, interface descriptions and
/// enhanced or simple packet blocks, in either byte order. Timestamps use each interface's
/// resolution (`if_tsresol`), microseconds unless told otherwise.
public struct PcapngWriter: Sendable {
    public var littleEndian: Bool

    public init(littleEndian: Bool = true) {
        self.littleEndian = littleEndian
    }

    public func sectionHeader() -> [UInt8] {
        block(type: PcapngSection.sectionHeaderType) { body in
            body.u32(PcapngSection.byteOrderMagic)
            body.u16(1)
            body.u16(0)
            body.u64(UInt64.max)  // section length not specified
        }
    }

    /// An Interface Description Block. `resolution` is the raw `if_tsresol` byte (6 = µs, 9 = ns).
    public func interfaceDescription(linkType: LinkType, snapLength: UInt32 = 262_144, name: String? = nil, resolution: UInt8 = 6) -> [UInt8] {
        block(type: PcapngSection.interfaceDescriptionType) { body in
            body.u16(UInt16(truncatingIfNeeded: linkType.rawValue))
            body.u16(0)
            body.u32(snapLength)
            if let name { option(&body, code: 2, Array(name.utf8)) }
            if resolution != 6 { option(&body, code: 9, [resolution]) }
            if name != nil || resolution != 6 { body.u32(0) }  // opt_endofopt
        }
    }

    /// An Enhanced Packet Block; `unitsPerSecond` must match the interface's resolution.
    public func enhancedPacket(interface: Int, timestamp: Timestamp, data: [UInt8], originalLength: Int? = nil, unitsPerSecond: UInt64 = 1_000_000) -> [UInt8] {
        block(type: PcapngSection.enhancedPacketType) { body in
            let units = UInt64(timestamp.seconds) * unitsPerSecond + UInt64(timestamp.nanoseconds) * unitsPerSecond / 1_000_000_000
            body.u32(UInt32(interface))
            body.u32(UInt32(units >> 32))
            body.u32(UInt32(truncatingIfNeeded: units))
            body.u32(UInt32(data.count))
            body.u32(UInt32(originalLength ?? data.count))
            body.append(data)
            body.padTo4()
        }
    }

    /// A Simple Packet Block (interface 0, no timestamp).
    public func simplePacket(data: [UInt8], originalLength: Int? = nil) -> [UInt8] {
        block(type: PcapngSection.simplePacketType) { body in
            body.u32(UInt32(originalLength ?? data.count))
            body.append(data)
            body.padTo4()
        }
    }

    /// pcapng §4.7 Decryption Secrets Block: secrets type (e.g. 0x544c534b "TLSK", an NSS key
    /// log) and the secrets, padded to 32 bits.
    public func decryptionSecrets(type: UInt32, data: [UInt8]) -> [UInt8] {
        block(type: 0x0A) { body in
            body.u32(type)
            body.u32(UInt32(data.count))
            body.append(data)
            body.padTo4()
        }
    }

    /// A block of a type the reader skips (e.g. 5, Interface Statistics), for tests.
    public func opaqueBlock(type: UInt32, body data: [UInt8]) -> [UInt8] {
        block(type: type) { body in
            body.append(data)
            body.padTo4()
        }
    }

    private func option(_ body: inout ByteWriter, code: UInt16, _ value: [UInt8]) {
        body.u16(code)
        body.u16(UInt16(value.count))
        body.append(value)
        body.padTo4()
    }

    private func block(type: UInt32, _ fill: (inout ByteWriter) -> Void) -> [UInt8] {
        var body = ByteWriter(littleEndian: littleEndian)
        fill(&body)
        var writer = ByteWriter(littleEndian: littleEndian)
        let total = UInt32(body.bytes.count + 12)
        writer.u32(type)
        writer.u32(total)
        writer.append(body.bytes)
        writer.u32(total)
        return writer.bytes
    }
}
