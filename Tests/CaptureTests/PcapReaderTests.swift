import Capture
import Testing
import TestSupport
import WireCore

/// Three Ethernet frames of different sizes with distinct timestamps.
func samplePackets(linkType: LinkType = .ethernet) -> [CapturedPacket] {
    (0..<3).map { (i: Int) -> CapturedPacket in
        let time = Timestamp(seconds: 1_700_000_000 + Int64(i), nanoseconds: Int64(123_456_789 + i * 1000))
        let data: [UInt8] = (0..<(60 + i * 7)).map { (j: Int) -> UInt8 in UInt8((j + i) & 0xFF) }
        return CapturedPacket(number: 0, timestamp: time, linkType: linkType, data: data)
    }
}

@Suite struct PcapReaderTests {
    @Test(arguments: [(false, true), (false, false), (true, true), (true, false)])
    func readsBothResolutionsAndByteOrders(nanosecond: Bool, littleEndian: Bool) {
        let packets = samplePackets()
        let file = CaptureFileBuilder.pcap(packets, nanosecond: nanosecond, littleEndian: littleEndian)
        let records = CaptureFileBuilder.read(file)
        #expect(records.diagnostics.isEmpty)
        guard case let .format(.pcap(le, ns, modified)) = records.first else {
            Issue.record("first record is not the pcap format")
            return
        }
        #expect(le == littleEndian && ns == nanosecond && !modified)
        let read = records.packets
        #expect(read.map(\.number) == [1, 2, 3])
        #expect(read.map(\.data) == packets.map(\.data))
        #expect(read.allSatisfy { $0.linkType == .ethernet && !$0.isTruncated })
        // Microsecond files keep microseconds only.
        let expected = packets.map { nanosecond ? $0.timestamp.nanoseconds : $0.timestamp.nanoseconds / 1000 * 1000 }
        #expect(read.map(\.timestamp.nanoseconds) == expected)
        #expect(read.map(\.timestamp.seconds) == packets.map(\.timestamp.seconds))
    }

    @Test func everySplitPointYieldsTheSameRecords() {
        let file = CaptureFileBuilder.pcap(samplePackets())
        let whole = CaptureFileBuilder.read(file, chunkSize: file.count).packets.map(\.data)
        for chunkSize in [1, 2, 3, 5, 16, 17, 23, 100] {
            #expect(CaptureFileBuilder.read(file, chunkSize: chunkSize).packets.map(\.data) == whole)
        }
        for split in 1..<file.count {
            var reader = CaptureReader()
            var packets: [CapturedPacket] = []
            reader.append(file[..<split])
            while let record = reader.next() { if case let .packet(p) = record { packets.append(p) } }
            reader.append(file[split...])
            while let record = reader.next() { if case let .packet(p) = record { packets.append(p) } }
            #expect(reader.finish().diagnostics.isEmpty)
            #expect(packets.map(\.data) == whole, "split at \(split)")
        }
    }

    @Test func snapLengthCutPacketsAreMarkedTruncated() {
        let packets = samplePackets()
        let file = CaptureFileBuilder.pcap(packets, snapLength: 64)
        let read = CaptureFileBuilder.read(file).packets
        #expect(read.map(\.data.count) == [60, 64, 64])
        #expect(read.map(\.originalLength) == [60, 67, 74])
        #expect(read.map(\.isTruncated) == [false, true, true])
    }

    /// A file cut at every possible length: everything before the cut is decoded, a record whose
    /// header is complete comes back as a truncated packet, and the loss is reported.
    @Test func fileCutAtEveryLength() {
        let file = CaptureFileBuilder.pcap(samplePackets())
        let recordStarts = [24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 67]
        for cut in 0..<file.count {
            let records = CaptureFileBuilder.read(Array(file[..<cut]))
            let packets = records.packets
            let diagnostics = records.diagnostics
            if cut < 24 {
                #expect(packets.isEmpty)
                #expect(diagnostics.map(\.code) == ["capture.not-a-capture"] || cut >= 4, "cut \(cut)")
                continue
            }
            let whole = recordStarts.filter { start in
                let index = recordStarts.firstIndex(of: start)!
                let end = index + 1 < recordStarts.count ? recordStarts[index + 1] : file.count
                return end <= cut
            }.count
            let atBoundary = recordStarts.contains(cut)
            #expect(diagnostics.count == (atBoundary ? 0 : 1), "cut \(cut)")
            if !atBoundary {
                #expect(diagnostics.first?.code == "pcap.file.truncated")
                let lastStart = recordStarts.last { $0 < cut }!
                let headerComplete = cut - lastStart >= 16
                #expect(packets.count == whole + (headerComplete ? 1 : 0), "cut \(cut)")
                if headerComplete { #expect(packets.last!.isTruncated) }
            } else {
                #expect(packets.count == whole)
            }
        }
    }

    @Test func corruptRecordLengthStopsWithTheEarlierPacketsKept() {
        var file = CaptureFileBuilder.pcap(samplePackets())
        // The second record's incl_len (little-endian) becomes 0x7FFFFFFF.
        let second = 24 + 16 + 60
        file.replaceSubrange((second + 8)..<(second + 12), with: [0xFF, 0xFF, 0xFF, 0x7F])
        let records = CaptureFileBuilder.read(file)
        #expect(records.packets.count == 1)
        #expect(records.diagnostics.map(\.code) == ["pcap.record.corrupt"])
        #expect(records.diagnostics.first?.span == ByteSpan(start: second, count: 16))
    }

    @Test(arguments: [
        ("", "empty input: not a capture file"),
        ("hi", "not a capture file: only 2 bytes, too short for a pcap or pcapng header"),
        ("this is a text file\n", "not a capture file: a text file"),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "not a capture file: raw HTTP/2 bytes, not a packet capture"),
    ])
    func notACaptureIsOneClearDiagnostic(content: String, message: String) {
        let records = CaptureFileBuilder.read(Array(content.utf8))
        #expect(records.packets.isEmpty)
        #expect(records.diagnostics.map(\.message) == [message])
        #expect(records.diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func gzipAndBinaryGarbageAreNamed() {
        let gzip = CaptureFileBuilder.read([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0])
        #expect(gzip.diagnostics.first?.message == "not a capture file: a gzip-compressed file (decompress it first)")
        let garbage = CaptureFileBuilder.read([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01])
        #expect(garbage.diagnostics.first?.message == "not a capture file: unrecognised leading bytes de ad be ef 00 01")
    }
}
