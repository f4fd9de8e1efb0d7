import Testing
import WireCore
@testable import TLS

/// After a capture gap the record reader drops what it held and looks for two record headers
/// that chain (RFC 8446 §5.1: type, legacy version 3.x, length) before it trusts a boundary.
@Suite struct RecordResynchronisationTests {
    static func record(_ type: UInt8, _ fragment: [UInt8]) -> [UInt8] {
        [type, 0x03, 0x03, UInt8(fragment.count >> 8), UInt8(fragment.count & 0xff)] + fragment
    }

    static func drain(_ reader: inout RecordReader) -> [RecordReader.Output] {
        var outputs: [RecordReader.Output] = []
        while let output = reader.next() { outputs.append(output) }
        return outputs
    }

    @Test func bytesAfterAGapAreSkippedToTheFirstChainedRecordHeader() {
        let first = Self.record(23, Array(repeating: 0xaa, count: 40))
        let second = Self.record(23, Array(repeating: 0xbb, count: 30))
        let third = Self.record(21, [2, 40])
        var reader = RecordReader()
        reader.append(first[...], at: 0)
        #expect(Self.drain(&reader).count == 1)
        // 10 bytes lost, then the last 17 bytes of a record (not a plausible header: 0xcc), then
        // two whole records.
        let tail = Array(repeating: UInt8(0xcc), count: 17)
        let afterGap = Int64(first.count + 10)
        reader.append((tail + second + third)[...], at: afterGap)
        let outputs = Self.drain(&reader)
        #expect(outputs.count == 3)
        guard outputs.count == 3, case let .skipped(diagnostic) = outputs[0],
              case let .record(secondRecord) = outputs[1], case let .record(thirdRecord) = outputs[2] else {
            Issue.record("expected a skip and two records, got \(outputs)")
            return
        }
        #expect(diagnostic.code == "tls.record.resynchronised")
        #expect(diagnostic.span == ByteSpan(start: Int(afterGap), count: 17))
        #expect(Array(secondRecord.fragment) == Array(second.dropFirst(5)) && secondRecord.offset == afterGap + 17)
        #expect(thirdRecord.type.rawValue == 21 && Array(thirdRecord.fragment) == [2, 40])
    }

    @Test func aBoundaryIsNotTrustedUntilTheNextHeaderConfirmsIt() {
        var reader = RecordReader()
        reader.gap(at: 0, length: 100)
        let second = Self.record(23, Array(repeating: 0xbb, count: 30))
        // The record is whole but the bytes after it are not yet a header: nothing is decided.
        reader.append((second + [23, 3])[...], at: 100)
        #expect(Self.drain(&reader).isEmpty)
        reader.append(([3, 0, 1, 0xdd])[...], at: 100 + Int64(second.count) + 2)
        let outputs = Self.drain(&reader)
        #expect(outputs.count == 2)
        if case let .record(record) = outputs.first { #expect(record.offset == 100) } else { Issue.record("expected a record, got \(outputs)") }
    }
}
