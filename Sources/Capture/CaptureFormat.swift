import WireCore

/// The container format of a capture file, recognised from its first four bytes.
public enum CaptureFormat: Sendable, Hashable, CustomStringConvertible {
    /// Classic libpcap format; `nanosecond` for the 0xA1B23C4D magic, `modified` for
    /// Alexey Kuznetzov's variant with 8 extra bytes per record header.
    case pcap(littleEndian: Bool, nanosecond: Bool, modified: Bool)
    case pcapng

    public var description: String {
        switch self {
        case let .pcap(littleEndian, nanosecond, modified):
            return (modified ? "modified pcap" : "pcap") + (nanosecond ? " (nanosecond" : " (microsecond")
                + (littleEndian ? ", little-endian)" : ", big-endian)")
        case .pcapng: return "pcapng"
        }
    }

    static let pcapMicrosecondMagic: UInt32 = 0xA1B2_C3D4
    static let pcapNanosecondMagic: UInt32 = 0xA1B2_3C4D
    static let pcapModifiedMagic: UInt32 = 0xA1B2_CD34
    static let pcapngSectionHeaderType: UInt32 = 0x0A0D_0D0A

    /// The format the leading bytes announce, or `nil`.
    static func recognise(_ first4: UInt32BE) -> CaptureFormat? {
        let be = first4.value
        let le = be.byteSwapped
        if be == pcapngSectionHeaderType { return .pcapng }
        for (magic, littleEndian) in [(le, true), (be, false)] {
            switch magic {
            case pcapMicrosecondMagic: return .pcap(littleEndian: littleEndian, nanosecond: false, modified: false)
            case pcapNanosecondMagic: return .pcap(littleEndian: littleEndian, nanosecond: true, modified: false)
            case pcapModifiedMagic: return .pcap(littleEndian: littleEndian, nanosecond: false, modified: true)
            default: continue
            }
        }
        return nil
    }

    /// A guess at what a file that is not a capture is, for the error message.
    static func describeForeign(_ prefix: ArraySlice<UInt8>) -> String {
        let bytes = Array(prefix.prefix(8))
        if bytes.starts(with: [0x1F, 0x8B]) { return "a gzip-compressed file (decompress it first)" }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a zip archive" }
        if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return "a zstd-compressed file (decompress it first)" }
        if bytes.starts(with: Array("PRI * HTTP/2.0".utf8.prefix(bytes.count))) && !bytes.isEmpty {
            return "raw HTTP/2 bytes, not a packet capture"
        }
        if !bytes.isEmpty, bytes.allSatisfy({ $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) }) {
            return "a text file"
        }
        return "unrecognised leading bytes \(Hex.string(bytes, separator: " "))"
    }
}

/// Four bytes read in network order, before the byte order of the file is known.
struct UInt32BE { var value: UInt32 }
