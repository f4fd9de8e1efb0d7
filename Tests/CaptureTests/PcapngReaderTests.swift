import Capture
import Testing
import TestSupport
import WireCore

@Suite struct PcapngReaderTests {
    /// libpcap refuses this: one file, interfaces of three different link types.
    @Test(arguments: [true, false])
    func interfacesWithDifferentLinkTypes(littleEndian: Bool) {
        let mixed = samplePackets(linkType: .ethernet) + samplePackets(linkType: .linuxSLL2) + samplePackets(linkType: .raw)
        let records = CaptureFileBuilder.read(CaptureFileBuilder.pcapng(mixed, littleEndian: littleEndian, nanosecond: true))
        #expect(records.diagnostics.isEmpty)
        let interfaces = records.compactMap { if case let .interface(i) = $0 { i } else { nil } }
        #expect(interfaces.map(\.linkType) == [.ethernet, .linuxSLL2, .raw])
        let packets = records.packets
        #expect(packets.map(\.number) == Array(1...9))
        #expect(packets.map(\.linkType) == mixed.map(\.linkType))
        #expect(packets.map(\.interface) == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(packets.map(\.data) == mixed.map(\.data))
        #expect(packets.map(\.timestamp) == mixed.map(\.timestamp))
    }

    @Test func microsecondResolutionByDefault() {
        let packets = samplePackets()
        let read = CaptureFileBuilder.read(CaptureFileBuilder.pcapng(packets)).packets
        #expect(read.map(\.timestamp.nanoseconds) == packets.map { $0.timestamp.nanoseconds / 1000 * 1000 })
    }

    @Test func binaryResolutionAndOffset() {
        // if_tsresol 0x94 = 2^-20 s per unit; if_tsoffset +100 s.
        let writer = PcapngWriter()
        var idb = writer.interfaceDescription(linkType: .raw)
        // Rebuild the IDB with both options by hand through the writer's opaque block.
        idb = writer.opaqueBlock(type: 1, body: [101, 0, 0, 0] + [0, 0, 4, 0]
            + [9, 0, 1, 0, 0x94, 0, 0, 0] + [14, 0, 8, 0] + [100, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0])
        let units: UInt64 = 5 << 20 | 1 << 19  // 5.5 s
        let epb = writer.opaqueBlock(type: 6, body: [0, 0, 0, 0] + le32(UInt32(units >> 32)) + le32(UInt32(units & 0xFFFF_FFFF)) + le32(1) + le32(1) + [0x45, 0, 0, 0])
        let read = CaptureFileBuilder.read(writer.sectionHeader() + idb + epb).packets
        #expect(read.count == 1)
        #expect(read.first?.timestamp == Timestamp(seconds: 105, nanoseconds: 500_000_000))
    }

    @Test func simplePacketsAndUnknownBlocksAndNewSections() throws {
        let writer = PcapngWriter()
        let data: [UInt8] = [0x45] + [UInt8](repeating: 7, count: 30)
        var file = writer.sectionHeader() + writer.interfaceDescription(linkType: .raw, snapLength: 20)
        file += writer.opaqueBlock(type: 5, body: [1, 2, 3, 4])  // interface statistics: skipped
        file += writer.simplePacket(data: data)  // cut to the interface's snap length 20
        // A second section in the other byte order, with its own interfaces.
        let big = PcapngWriter(littleEndian: false)
        file += big.sectionHeader() + big.interfaceDescription(linkType: .ethernet)
        file += big.enhancedPacket(interface: 0, timestamp: Timestamp(seconds: 1, nanoseconds: 0), data: [1, 2, 3])
        let records = CaptureFileBuilder.read(file)
        #expect(records.diagnostics.isEmpty)
        let packets = records.packets
        try #require(packets.count == 2, "\(records)")
        #expect(packets[0].data == Array(data.prefix(20)) && packets[0].originalLength == 31 && packets[0].linkType == .raw)
        #expect(packets[1].data == [1, 2, 3] && packets[1].linkType == .ethernet)
    }

    @Test func everySplitPointAndEveryCut() {
        let file = CaptureFileBuilder.pcapng(samplePackets() + samplePackets(linkType: .linuxSLL2))
        let whole = CaptureFileBuilder.read(file).packets.map(\.data)
        #expect(whole.count == 6)
        for chunkSize in [1, 3, 7, 13] {
            #expect(CaptureFileBuilder.read(file, chunkSize: chunkSize).packets.map(\.data) == whole)
        }
        for cut in 0..<file.count {
            let records = CaptureFileBuilder.read(Array(file[..<cut]))
            let packets = records.packets
            // Never more packets than exist, and those read are exact prefixes of the originals.
            #expect(packets.count <= whole.count)
            for (read, original) in zip(packets, whole) {
                #expect(original.starts(with: read.data), "cut \(cut)")
            }
            if cut > 0, cut < file.count, !records.diagnostics.isEmpty {
                #expect(records.diagnostics.allSatisfy { $0.code.hasSuffix("truncated") || $0.code == "capture.not-a-capture" }, "cut \(cut): \(records.diagnostics)")
            }
        }
    }

    @Test func packetNamingAnUndeclaredInterfaceIsReported() {
        let writer = PcapngWriter()
        let file = writer.sectionHeader() + writer.interfaceDescription(linkType: .raw)
            + writer.enhancedPacket(interface: 3, timestamp: .zero, data: [0x45])
            + writer.enhancedPacket(interface: 0, timestamp: .zero, data: [0x45])
        let records = CaptureFileBuilder.read(file)
        #expect(records.diagnostics.map(\.code) == ["pcapng.packet.unknown-interface"])
        #expect(records.packets.map(\.number) == [2])
    }

    @Test func badBlockLengthIsCorruption() {
        let writer = PcapngWriter()
        var file = writer.sectionHeader() + writer.interfaceDescription(linkType: .raw)
        let good = file.count
        file += writer.enhancedPacket(interface: 0, timestamp: .zero, data: [0x45])
        file[good + 4] = 13  // total length not a multiple of 4
        let records = CaptureFileBuilder.read(file)
        #expect(records.diagnostics.map(\.code) == ["pcapng.block.corrupt"])
    }
}

private func le32(_ value: UInt32) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] }
