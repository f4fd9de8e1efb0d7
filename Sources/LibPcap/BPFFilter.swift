import CPcap
import Capture

/// A tcpdump filter expression (pcap-filter(7)) applied to packets read by grpcdump's own reader.
///
/// libpcap compiles the expression once per link type (pcapng files may mix them) with
/// `pcap_open_dead`, and `pcap_offline_filter` runs it on each packet.
public final class BPFFilter: @unchecked Sendable {
    // @unchecked: the compiled programs are only touched by the thread that owns the filter.
    public let expression: String
    private var programs: [LinkType: Program] = [:]
    private let snapLength: Int32 = 262_144

    private final class Program {
        var bpf = bpf_program()
        deinit { pcap_freecode(&bpf) }
    }

    public struct CompileError: Error, CustomStringConvertible {
        public let expression: String
        public let message: String
        public var description: String { "invalid filter '\(expression)': \(message)" }
    }

    /// Compiles for `linkType` right away, so that a bad expression is reported before any
    /// packet is read.
    public init(expression: String, linkType: LinkType = .ethernet) throws(CompileError) {
        self.expression = expression
        _ = try program(for: linkType)
    }

    public func matches(_ packet: CapturedPacket) throws(CompileError) -> Bool {
        let program = try program(for: packet.linkType)
        var header = pcap_pkthdr()
        header.caplen = UInt32(packet.data.count)
        header.len = UInt32(packet.originalLength)
        return packet.data.withUnsafeBufferPointer { bytes in
            pcap_offline_filter(&program.bpf, &header, bytes.baseAddress) != 0
        }
    }

    private func program(for linkType: LinkType) throws(CompileError) -> Program {
        if let program = programs[linkType] { return program }
        guard let handle = pcap_open_dead(Int32(linkType.rawValue), snapLength) else {
            throw CompileError(expression: expression, message: "libpcap cannot open a handle for \(linkType)")
        }
        defer { pcap_close(handle) }
        let program = Program()
        guard pcap_compile(handle, &program.bpf, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            let message = pcap_geterr(handle).map { String(cString: $0) } ?? "unknown error"
            throw CompileError(expression: expression, message: message + (linkType == .ethernet ? "" : " (for \(linkType))"))
        }
        programs[linkType] = program
        return program
    }
}
