import CPcap
import Capture
import WireCore
#if canImport(Glibc)
import Glibc
#endif

/// Packets from a network interface through libpcap (pcap(3PCAP)): opened in immediate mode and
/// non-blocking, so that the owner polls with its own timeout and can stop at any moment.
public final class LiveCapture: @unchecked Sendable {
    // @unchecked: the handle is used by the one thread that owns the capture.
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    public let interface: String
    public let linkType: LinkType
    private let handle: OpaquePointer
    private var count = 0

    /// Opens `interface` ("any" for all) and applies `filter` (pcap-filter(7)) in the kernel.
    /// `bufferSize`: the kernel's packet buffer (tcpdump -B), large enough that a burst (a 4.5 MiB
    /// message on loopback) is not dropped while the decoder catches up.
    public init(interface: String, filter: String?, snapLength: Int32 = 262_144, bufferSize: Int32 = 32 << 20) throws(OpenError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw OpenError(description: "cannot open '\(interface)': \(Self.text(errorBuffer))")
        }
        pcap_set_snaplen(handle, snapLength)
        pcap_set_buffer_size(handle, bufferSize)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 100)
        let status = pcap_activate(handle)
        if status < 0 {
            let message = Self.activationProblem(status, interface: interface, detail: pcap_geterr(handle).map { String(cString: $0) } ?? "")
            pcap_close(handle)
            throw OpenError(description: message)
        }
        self.interface = interface
        self.handle = handle
        linkType = LinkType(rawValue: UInt32(pcap_datalink(handle)))
        if pcap_setnonblock(handle, 1, &errorBuffer) != 0 {
            pcap_close(handle)
            throw OpenError(description: "cannot read '\(interface)' without blocking: \(Self.text(errorBuffer))")
        }
        if let filter, !filter.isEmpty {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let message = pcap_geterr(handle).map { String(cString: $0) } ?? "unknown error"
                pcap_close(handle)
                throw OpenError(description: "invalid filter '\(filter)': \(message)")
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let message = pcap_geterr(handle).map { String(cString: $0) } ?? "unknown error"
                pcap_close(handle)
                throw OpenError(description: "cannot set the filter on '\(interface)': \(message)")
            }
        }
    }

    deinit { pcap_close(handle) }

    static func activationProblem(_ status: Int32, interface: String, detail: String) -> String {
        switch status {
        case PCAP_ERROR_PERM_DENIED:
            "cannot capture on '\(interface)': permission denied. Live capture needs root or the CAP_NET_RAW capability "
                + "(for example: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v grpcdump))"
        case PCAP_ERROR_NO_SUCH_DEVICE:
            "no interface '\(interface)' (grpcdump -D lists them)"
        case PCAP_ERROR_IFACE_NOT_UP:
            "interface '\(interface)' is down"
        default:
            "cannot capture on '\(interface)': " + (detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail)
        }
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Waits up to `timeout` milliseconds for the interface to have packets.
    public func wait(milliseconds timeout: Int32) {
        let descriptor = pcap_get_selectable_fd(handle)
        guard descriptor >= 0 else {
            usleep(UInt32(timeout) * 1000)
            return
        }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&poller, 1, timeout)
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The packets available now (none when nothing arrived), numbered from 1 on.
    public func read() throws(ReadError) -> [CapturedPacket] {
        var packets: [CapturedPacket] = []
        while true {
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            let status = pcap_next_ex(handle, &header, &data)
            guard status == 1, let header, let data else {
                if status == 0 || status == PCAP_ERROR_BREAK { return packets }
                throw ReadError(description: "reading '\(interface)': " + (pcap_geterr(handle).map { String(cString: $0) } ?? "error \(status)"))
            }
            count += 1
            let captured = Int(header.pointee.caplen)
            packets.append(CapturedPacket(
                number: count,
                timestamp: Timestamp(seconds: Int64(header.pointee.ts.tv_sec), nanoseconds: Int64(header.pointee.ts.tv_usec) * 1000),
                linkType: linkType, data: Array(UnsafeBufferPointer(start: data, count: captured)),
                originalLength: Int(header.pointee.len)))
        }
    }

    /// libpcap's counts (pcap_stats(3PCAP)): packets the filter accepted, and those dropped for
    /// lack of buffer space or by the interface.
    public func statistics() -> (received: Int, dropped: Int, droppedByInterface: Int)? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return (Int(stats.ps_recv), Int(stats.ps_drop), Int(stats.ps_ifdrop))
    }

    /// The interfaces libpcap can capture on (pcap_findalldevs(3PCAP)), as tcpdump -D lists them.
    public static func interfaces() throws(OpenError) -> [(name: String, description: String?, flags: [String])] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0 else { throw OpenError(description: "cannot list interfaces: \(text(errorBuffer))") }
        defer { pcap_freealldevs(list) }
        var interfaces: [(String, String?, [String])] = []
        var current = list
        while let device = current {
            let flags = device.pointee.flags
            var names: [String] = []
            if flags & UInt32(PCAP_IF_UP) != 0 { names.append("Up") }
            if flags & UInt32(PCAP_IF_RUNNING) != 0 { names.append("Running") }
            if flags & UInt32(PCAP_IF_LOOPBACK) != 0 { names.append("Loopback") }
            interfaces.append((String(cString: device.pointee.name), device.pointee.description.map { String(cString: $0) }, names))
            current = device.pointee.next
        }
        return interfaces
    }
}
