import ArgumentParser

/// Where packets come from and which of them to decode.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("read")], help: ArgumentHelp("Read packets from a pcap or pcapng file ('-' for standard input).", valueName: "file"))
    var file: String

    @Option(name: .customLong("max-tcp-buffer"), help: ArgumentHelp("Out-of-order bytes buffered per TCP direction before a hole is reported as a gap.", valueName: "bytes"))
    var maxTCPBuffer: Int = 4 << 20

    @Argument(help: ArgumentHelp("A filter expression in tcpdump's syntax (pcap-filter(7)).", valueName: "filter"))
    var filter: [String] = []

    func validate() throws {
        guard maxTCPBuffer > 0 else { throw ValidationError("--max-tcp-buffer must be positive") }
    }
}

/// The layers grpcdump can stop at.
enum LayerName: String, ExpressibleByArgument, CaseIterable {
    case tcp
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

    @Flag(help: "JSON lines on standard output, one object per item (frame, connection …); see docs/.")
    var json = false
}
