import ArgumentParser

/// `grpcdump`: reads a capture and shows what it holds, layer by layer.
@main
struct GRPCDump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump",
        abstract: "Decode the gRPC calls, HTTP/2 frames and TCP streams in a packet capture.",
        discussion: """
            Reads pcap or pcapng files (or - for standard input). A filter expression in \
            tcpdump's syntax may follow the options, e.g. `grpcdump -r trace.pcap tcp port 50051`.
            """,
        version: "0.1.0")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "Call filters") var calls: CallFilterOptions

    func run() throws {
        let exitCode = try ReadCommand(input: input, output: output, filter: calls.filter).run()
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
