import Annotate
import ArgumentParser
import Render
import Schema

extension BlobFormat: ExpressibleByArgument {}
extension BlobAnnotation.Prefix: ExpressibleByArgument {}

/// `grpcdump annotate`: one protobuf blob (or raw HTTP/2 bytes) as a hex dump where every byte
/// range is labelled (docs/annotate.md).
struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump annotate",
        abstract: "Annotate one protobuf message (or raw HTTP/2 bytes) byte by byte.",
        discussion: """
            The blob is read from FILE or standard input as binary, or as text holding hex (spaced, \
            0x or \\x prefixed, colon separated, or pasted xxd / hexdump -C output) or base64; a gRPC \
            5-byte prefix is detected and explained. Exit status: 0 when every byte was decoded, 1 \
            when the blob is malformed (annotated up to the faulty byte), 2 when it could not be read.
            """)

    @Argument(help: ArgumentHelp("The blob's file; '-' or nothing for standard input.", valueName: "file"))
    var file = "-"

    @Option(help: ArgumentHelp("How the input holds the bytes: \(BlobFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var input: BlobFormat = .auto

    @Option(name: .customLong("grpc-prefix"), help: ArgumentHelp("Whether the blob starts with gRPC's 5-byte message prefix: auto (when its length matches), yes, no.", valueName: "when"))
    var grpcPrefix: BlobAnnotation.Prefix = .auto

    @Flag(help: "The bytes are raw HTTP/2 (optionally starting with the client preface): annotate frame by frame, HPACK included.")
    var http2 = false

    @Flag(help: "The labelled ranges as one JSON object.")
    var json = false

    @OptionGroup(title: "Schemas (field names need --type, or a gRPC path with --http2)") var schemas: SchemaOptions

    func run() async throws {
        var file: InputFile
        do { file = try InputFile(path: self.file) } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        var input: [UInt8] = []
        do {
            while let chunk = try file.read() { input += chunk }
        } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        file.close()
        let bytes: [UInt8], format: BlobFormat
        switch BlobInput.decode(input, format: self.input) {
        case let .success(decoded): (bytes, format) = decoded
        case let .failure(error):
            TextOutput.error("\(self.file == "-" ? "standard input" : self.file): \(error)")
            throw ExitCode(2)
        }
        let types: MessageTypes?
        if schemas.type != nil || http2 {
            do { types = try await SchemaLoader(options: schemas).load() } catch {
                TextOutput.error(error.description)
                throw ExitCode(2)
            }
        } else {
            types = nil
        }
        let schema = types.map(PoolAnnotationSchema.init)
        let sections: [AnnotationSection]
        if http2 {
            sections = [AnnotationSection(title: nil, bytes: bytes, ranges: HTTP2Annotator(schema: schema) { path, isRequest in types?.typeName(path: path, isRequest: isRequest) }.annotate(bytes))]
        } else {
            let annotation = BlobAnnotation.annotate(bytes, prefix: grpcPrefix, type: schemas.type, schema: schema)
            var list = [AnnotationSection(title: nil, bytes: bytes, ranges: annotation.ranges)]
            if let inflated = annotation.decompressed {
                list.append(AnnotationSection(title: "inflated message, \(inflated.count) bytes", bytes: inflated, ranges: annotation.decompressedRanges))
            }
            sections = list
        }
        var out = TextOutput()
        if json {
            out.line(AnnotationSection.json(sections, format: format.rawValue, type: schemas.type))
        } else {
            for section in sections {
                if let title = section.title { out.line("# " + title) }
                for line in AnnotationText.lines(section.ranges, bytes: section.bytes) { out.line(line) }
            }
        }
        out.flush()
        let errors = sections.flatMap(\.ranges).filter { $0.kind == .error }
        TextOutput.error("annotate: \(bytes.count) bytes read as \(format.rawValue)" + (schemas.type.map { ", decoded as \($0)" } ?? "")
            + (errors.isEmpty ? "" : "; malformed: \(errors.count) undecodable range\(errors.count == 1 ? "" : "s")"))
        if !errors.isEmpty { throw ExitCode(1) }
    }
}
