import WireCore

/// TCP control bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR).
public struct TCPFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x001)
    public static let syn = TCPFlags(rawValue: 0x002)
    public static let rst = TCPFlags(rawValue: 0x004)
    public static let psh = TCPFlags(rawValue: 0x008)
    public static let ack = TCPFlags(rawValue: 0x010)
    public static let urg = TCPFlags(rawValue: 0x020)
    public static let ece = TCPFlags(rawValue: 0x040)
    public static let cwr = TCPFlags(rawValue: 0x080)

    /// tcpdump's letters: `S`, `F`, `R`, `P`, `.` (ACK), `U`, `E`, `W`.
    public var description: String {
        let letters: [(TCPFlags, String)] = [(.syn, "S"), (.fin, "F"), (.rst, "R"), (.psh, "P"), (.urg, "U"), (.ece, "E"), (.cwr, "W"), (.ack, ".")]
        let text = letters.filter { contains($0.0) }.map(\.1).joined()
        return text.isEmpty ? "none" : text
    }
}

/// The TCP options grpcdump uses (RFC 9293 §3.2, RFC 7323, RFC 2018).
public struct TCPOptions: Sendable, Hashable {
    public struct SACKBlock: Sendable, Hashable {
        public var left: UInt32
        public var right: UInt32
    }

    public struct Timestamps: Sendable, Hashable {
        public var value: UInt32
        public var echoReply: UInt32
    }

    public var maximumSegmentSize: UInt16?
    public var windowScale: UInt8?
    public var sackPermitted = false
    public var sackBlocks: [SACKBlock] = []
    public var timestamps: Timestamps?

    public init() {}
}

/// A decoded TCP segment: header fields and the captured payload.
public struct TCPSegment: Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgementNumber: UInt32
    public var flags: TCPFlags
    /// The raw (unscaled) window field.
    public var window: UInt16
    public var options: TCPOptions
    public var payload: ArraySlice<UInt8>
    /// Payload bytes the IP length announces but the capture lacks (snapshot length).
    public var missingBytes: Int

    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32, acknowledgementNumber: UInt32,
                flags: TCPFlags, window: UInt16 = 65535, options: TCPOptions = TCPOptions(),
                payload: ArraySlice<UInt8> = [], missingBytes: Int = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgementNumber = acknowledgementNumber
        self.flags = flags
        self.window = window
        self.options = options
        self.payload = payload
        self.missingBytes = missingBytes
    }

    /// Sequence space the segment occupies: payload (captured or not) plus one for SYN and for FIN.
    public var sequenceLength: Int {
        payload.count + missingBytes + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }
}

/// The TCP header (RFC 9293 §3.1).
public enum TCPHeader {
    /// Decodes the segment carried in `ip` (whose payload is the TCP header and data).
    public static func decode(_ ip: IPPacket, packet: Int) -> Result<TCPSegment, Diagnostic> {
        var reader = ByteReader(ip.payload, baseOffset: ip.payload.startIndex)
        let start = reader.offset
        guard reader.remaining >= 20 else {
            return .failure(Diagnostic(.tcp, "tcp.short", .warning, "TCP header cut short", packet: packet,
                                       span: ByteSpan(start: start, count: reader.remaining),
                                       length: .init(required: 20, available: reader.remaining, source: "TCP minimum header")))
        }
        let sourcePort = reader.readUInt16()!
        let destinationPort = reader.readUInt16()!
        let sequence = reader.readUInt32()!
        let acknowledgement = reader.readUInt32()!
        let offsetAndFlags = reader.readUInt16()!
        let window = reader.readUInt16()!
        reader.skip(4)  // checksum (offloaded on most captures, so not verified), urgent pointer
        // RFC 9293 §3.1: the data offset counts 32-bit words and is at least 5.
        let headerLength = Int(offsetAndFlags >> 12) * 4
        guard headerLength >= 20 else {
            return .failure(Diagnostic(.tcp, "tcp.data-offset", .warning, "TCP data offset \(headerLength) is below 20",
                                       packet: packet, span: ByteSpan(start: start + 12, count: 1)))
        }
        guard let optionBytes = reader.readBytes(headerLength - 20) else {
            return .failure(Diagnostic(.tcp, "tcp.short", .warning, "TCP options cut short", packet: packet,
                                       span: ByteSpan(start: start, count: ip.payload.count),
                                       length: .init(required: headerLength, available: ip.payload.count, source: "TCP data offset")))
        }
        return .success(TCPSegment(
            sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequence,
            acknowledgementNumber: acknowledgement, flags: TCPFlags(rawValue: offsetAndFlags & 0x01FF),
            window: window, options: parseOptions(optionBytes), payload: reader.readRemaining(),
            missingBytes: ip.missingBytes))
    }

    static func parseOptions(_ bytes: ArraySlice<UInt8>) -> TCPOptions {
        var options = TCPOptions()
        var reader = ByteReader(bytes)
        while let kind = reader.readUInt8() {
            switch kind {
            case 0: return options  // end of option list
            case 1: continue  // no-operation
            default:
                guard let length = reader.readUInt8(), length >= 2, var value = reader.readBytes(Int(length) - 2).map({ ByteReader($0) }) else {
                    return options
                }
                switch (kind, length) {
                case (2, 4): options.maximumSegmentSize = value.readUInt16()
                case (3, 3): options.windowScale = min(value.readUInt8()!, 14)  // RFC 7323 §2.3: at most 14
                case (4, 2): options.sackPermitted = true
                case (5, _):
                    while let left = value.readUInt32(), let right = value.readUInt32() { options.sackBlocks.append(.init(left: left, right: right)) }
                case (8, 10): options.timestamps = .init(value: value.readUInt32()!, echoReply: value.readUInt32()!)
                default: break
                }
            }
        }
        return options
    }
}
