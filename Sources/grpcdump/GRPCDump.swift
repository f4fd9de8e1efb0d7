import ArgumentParser
import CMalloc
import Render
import Schema

/// The entry point: `grpcdump serve` and `grpcdump call` are dispatched by their first word (the
/// capture reader's trailing filter words would otherwise swallow a subcommand name).
@main
enum Main {
    static func main() {
        // Blocks of 8 MiB and more are mapped and unmapped, not kept: glibc otherwise raises this
        // threshold to the largest block freed and keeps that much free in each thread's arena
        // (peak memory of --json at 100 MB: 101 MB with the default). Below it, a freed block is
        // reused rather than given back and faulted in again: with 1 MiB, and glibc's 128 KiB
        // trim threshold that setting one threshold fixes, a --json line of a large message
        // (its JSON, its text) took fresh pages each time; on the 1 GB capture with two threads
        // page faults took 3.9 s of system time (0.7 s with these; peak 65 MB → 77 MB).
        mallopt(M_MMAP_THRESHOLD, 8 << 20)
        mallopt(M_TRIM_THRESHOLD, 64 << 20)
        let arguments = Array(CommandLine.arguments.dropFirst())
        MainThread.serve {
            switch arguments.first {
            case "serve": await ServeCommand.main(Array(arguments.dropFirst()))
            case "call": await CallCommand.main(Array(arguments.dropFirst()))
            case "annotate": await AnnotateCommand.main(Array(arguments.dropFirst()))
            case "diff": await DiffCommand.main(Array(arguments.dropFirst()))
            case "report": await ReportCommand.main(ReportCommand.arguments(Array(arguments.dropFirst())))
            case "replay": await ReplayCommand.main(Array(arguments.dropFirst()))
            default: await GRPCDump.main(arguments)
            }
        }
    }
}

/// `grpcdump`: reads a capture and shows what it holds, layer by layer.
struct GRPCDump: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump",
        abstract: "Decode the gRPC calls, HTTP/2 frames and TCP streams in a packet capture.",
        discussion: """
            Reads pcap or pcapng files (-r, or -r - for standard input) or captures live (-i). A filter \
            expression in tcpdump's syntax may follow the options, e.g. `grpcdump -r trace.pcap tcp port 50051`. \
            `grpcdump annotate` labels the bytes of one protobuf message; `grpcdump diff A B` compares \
            two captures; `grpcdump report FILE -o page.html` draws one as an HTML page; `grpcdump replay \
            FILE --target HOST:PORT` sends its calls again and compares the answers; `grpcdump serve` \
            and `grpcdump call` are the reference gRPC server and client.
            """,
        version: "0.1.0")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "Call filters") var calls: CallFilterOptions
    @OptionGroup(title: "Schemas") var schemas: SchemaOptions
    @OptionGroup(title: "TLS") var keys: KeyLogOptions

    func run() async throws {
        if input.listInterfaces { return try LiveCommand.listInterfaces() }
        var types: MessageTypes?
        // Schemas are loaded only for views that show messages.
        if output.showsMessages {
            do {
                types = try await SchemaLoader(options: schemas).load()
            } catch {
                TextOutput.error(error.description)
                throw ExitCode(2)
            }
        }
        var request = ViewRequest(input: input, output: output, filter: calls.filter, types: types, preserveNames: schemas.preserveNames)
        if output.export == .grpcurl {
            request.export = GrpcurlExport(protoFiles: schemas.protos, importPaths: schemas.importPaths, protosets: schemas.protosets)
        }
        do {
            request.keyLog = try keys.load(live: input.interface != nil)
        } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        request.keyLogFiles = keys.files
        let exitCode = if let interface = input.interface {
            LiveCommand(interface: interface, request: request).run()
        } else {
            ReadCommand(path: input.file ?? "-", request: request).run()
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
