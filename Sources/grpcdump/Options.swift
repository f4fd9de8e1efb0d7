import ArgumentParser
import Foundation
import GRPC
import HTTP2
import Packet
import Render

/// Where packets come from and which of them to decode.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("read")], help: ArgumentHelp("Read packets from a pcap or pcapng file ('-' for standard input).", valueName: "file"))
    var file: String?

    @Option(name: [.customShort("i"), .customLong("interface")], help: ArgumentHelp("Capture live on this interface ('any' for all; needs root or CAP_NET_RAW).", valueName: "interface"))
    var interface: String?

    @Flag(name: [.customShort("D"), .customLong("list-interfaces")], help: "List the interfaces live capture can use, and exit.")
    var listInterfaces = false

    @Option(name: .customShort("w"), help: ArgumentHelp("Save the packets to this pcapng file, with the secrets of the TLS sessions they hold (-i: as captured; -r: the file rewritten).", valueName: "file"))
    var writeFile: String?

    @Option(name: .customShort("Z"), help: ArgumentHelp("With -i, become this user once the interface and files are open (default: nobody when run as root), as tcpdump does.", valueName: "user"))
    var user: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("With -i, stop after this many calls (packets with --layer tcp or http2).", valueName: "count"))
    var count: Int?

    @Option(help: ArgumentHelp("With -i, stop after this many seconds.", valueName: "seconds"))
    var duration: Double?

    @Option(name: .customLong("max-tcp-buffer"), help: ArgumentHelp("Out-of-order bytes buffered per TCP direction before a hole is reported as a gap.", valueName: "bytes"))
    var maxTCPBuffer: Int = 4 << 20

    @Option(name: .customLong("max-open-calls"), help: ArgumentHelp("Calls (HTTP/2 streams) open at once on one connection before the oldest is reported unfinished.", valueName: "count"))
    var maxOpenCalls: Int = 10_000

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("TCP connections tracked at once; past it, the one idle longest is closed.", valueName: "count"))
    var maxConnections: Int = 100_000

    @Option(name: .customLong("max-message"), help: ArgumentHelp("Largest gRPC message kept, as declared or once inflated; a larger one is reported and not kept.", valueName: "bytes"))
    var maxMessage: Int = CallAssembler.Configuration().maxMessageLength

    @Option(name: .customLong("max-header-block"), help: ArgumentHelp("Longest HTTP/2 header block kept while its CONTINUATION frames arrive; a longer one is not decoded.", valueName: "bytes"))
    var maxHeaderBlock: Int = HTTP2Limits.default.maxHeaderBlockBytes

    @Option(help: ArgumentHelp("With -r, decode the connections on this many threads (default: one per core, one for a file under 4 MiB); the output is the same for any number.", valueName: "count"))
    var threads: Int?

    /// A file smaller than this is read on one thread unless `--threads` says otherwise: starting
    /// the workers and copying the schemas for each (about 7 ms) costs more than they save on it.
    static let smallFileBytes: Int64 = 4 << 20

    /// Threads to decode a file of `size` bytes on (nil: not a regular file): `--threads`, or the
    /// processors this process may run on (one for a small file).
    func threadCount(fileSize size: Int64?) -> Int {
        if let threads { return threads }
        if let size, size < Self.smallFileBytes { return 1 }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    @Argument(help: ArgumentHelp("A filter expression in tcpdump's syntax (pcap-filter(7)).", valueName: "filter"))
    var filter: [String] = []

    func validate() throws {
        guard maxTCPBuffer > 0 else { throw ValidationError("--max-tcp-buffer must be positive") }
        guard maxOpenCalls > 0 else { throw ValidationError("--max-open-calls must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard maxMessage > 0 else { throw ValidationError("--max-message must be positive") }
        guard maxHeaderBlock > 0 else { throw ValidationError("--max-header-block must be positive") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256") }
        if listInterfaces { return }
        switch (file, interface) {
        case (nil, nil): throw ValidationError("say where packets come from: -r FILE (a capture) or -i INTERFACE (live; -D lists them)")
        case (_?, _?): throw ValidationError("-r and -i cannot be used together")
        default: break
        }
        if interface == nil, count != nil || duration != nil {
            throw ValidationError("-c and --duration go with live capture (-i)")
        }
        if let count, count <= 0 { throw ValidationError("-c must be positive") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
    }
}

/// The layers grpcdump can stop at.
enum LayerName: String, ExpressibleByArgument, CaseIterable {
    case tcp
    case tls
    case http2
    case grpc
}

/// How results are shown.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The layer to show: \(LayerName.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "layer"))
    var layer: LayerName = .grpc

    @Flag(name: .short, help: "More detail; repeat for even more.")
    var verbose: Int

    @Flag(name: .customShort("x"), help: "Hex dump of every gRPC message.")
    var hex = false

    @Flag(name: .customLong("json-raw"), help: "With --json, include every message's bytes as base64 (key raw_base64).")
    var jsonRaw = false

    @Flag(help: "After the calls, a summary per method: calls, statuses, latency, bytes.")
    var stats = false

    @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (NO_COLOR in the environment does the same).")
    var noColour = false

    @Flag(help: "JSON lines on standard output, one object per item (frame, connection …); see docs/.")
    var json = false

    @Option(help: ArgumentHelp("Print each call as a command that sends it again: grpcurl (docs/replay.md).", valueName: "format"))
    var export: ExportFormat?

    /// Whether the calls are shown with what their messages hold, not only how many went each
    /// way (the one-line summary): schemas are loaded and message bytes kept for these views.
    var showsMessages: Bool { layer == .grpc && (verbose > 0 || json || hex || export != nil) }

    func validate() throws {
        if export != nil, json || layer != .grpc || hex || verbose > 0 || stats {
            throw ValidationError("--export prints commands in place of the calls: it goes without --json, -x, -v, --stats and --layer")
        }
    }
}

/// What `--export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case grpcurl
}

/// Which calls to show.
struct CallFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only calls whose method (:path) matches this shell glob, e.g. '*UserService/*'.", valueName: "glob"))
    var method: String?

    @Option(help: ArgumentHelp("Only calls with this status (name or number); repeatable.", valueName: "code"))
    var status: [String] = []

    @Option(help: ArgumentHelp("Only calls with this client or server address.", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Only calls with this client or server port.", valueName: "port"))
    var port: UInt16?

    func validate() throws {
        for code in status where StatusCode(nameOrNumber: code) == nil {
            throw ValidationError("unknown status '\(code)': use a gRPC status name (NOT_FOUND) or number (5)")
        }
        if let host, IPAddress(host) == nil { throw ValidationError("--host '\(host)' is not an IPv4 or IPv6 address") }
    }

    var filter: CallFilter {
        CallFilter(methodGlob: method, statuses: status.compactMap(StatusCode.init(nameOrNumber:)), host: host.flatMap(IPAddress.init), port: port)
    }
}

extension OutputOptions {
    /// What `--stats` prints after the calls (nothing without it), as text or JSON lines.
    func statisticsLines(_ statistics: CallStatistics) -> [String] {
        guard stats else { return [] }
        return json ? statistics.jsonLines : statistics.lines
    }
}
