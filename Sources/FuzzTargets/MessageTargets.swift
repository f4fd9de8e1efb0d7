import Annotate
import Protobuf
import ProtoParser
import Render
import Schema
import TLS
import WireCore

/// Targets of single messages and texts.
enum MessageTargets {
    /// The bytes as a message without a schema, rendered as the tree and as JSON.
    static func protobufRaw(_ bytes: [UInt8]) {
        let message = RawDecoder.decode(bytes)
        _ = RawTreeText.lines(message)
        _ = ProtoJSON.rawTree(message)
    }

    /// A 16-bit choice of message type among the dissectors' and a flag byte, then the message:
    /// decoded as a value (rendered as text and JSON) and written directly as JSON.
    static func protobufSchema(_ bytes: [UInt8]) {
        let names = DissectorFiles.messageNames
        guard !names.isEmpty else { fatalError("no schemas found in \(DissectorFiles.directory)") }
        var input = FuzzInput(bytes)
        let type = names[Int(input.uint16()) % names.count]
        let preserveNames = input.bool()
        let message = input.rest()
        let decoder = SchemaDecoder(pool: DissectorFiles.pool)
        if let decoded = decoder.decode(message, as: type) {
            _ = ProtoValueText.lines(decoded.value)
            _ = ProtoJSON.encode(decoded.value, preserveNames: preserveNames)
        }
        var json = JSONBuffer()
        _ = decoder.writeJSON(message, as: type, preserveNames: preserveNames, into: &json)
        _ = MessageTypes(pool: DissectorFiles.pool).statusDetails(Array(message))
    }

    /// The text as `fuzz.proto`, which may import any dissector file; compiled, linked and made
    /// into a descriptor pool as `--proto` would.
    static func protoParser(_ bytes: [UInt8]) {
        let source = String(decoding: bytes, as: UTF8.self)
        let files = DissectorFiles.sources
        let compilation = ProtoCompiler(loader: { $0 == "fuzz.proto" ? source : files[$0] }).compile(["fuzz.proto"])
        _ = compilation.diagnostics.map(\.description)
        if !compilation.files.isEmpty { _ = DescriptorPool(files: compilation.files).messageNames }
    }

    /// A byte choosing the input format (auto, binary, hex, base64) and the gRPC prefix mode,
    /// then annotate's input: read, annotated against the dissectors' schemas when the flag byte
    /// names a type, and rendered; the same bytes annotated as raw HTTP/2 too.
    static func annotate(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let options = input.byte()
        let format = BlobFormat.allCases[Int(options) % BlobFormat.allCases.count]
        let prefix = BlobAnnotation.Prefix.allCases[Int(options >> 2) % BlobAnnotation.Prefix.allCases.count]
        let names = DissectorFiles.messageNames
        let type = options & 0x80 != 0 && !names.isEmpty ? names[Int(input.byte()) % names.count] : nil
        guard case let .success(read) = BlobInput.decode(Array(input.rest()), format: format) else { return }
        let schema = PoolAnnotationSchema(MessageTypes(pool: DissectorFiles.pool))
        let annotation = BlobAnnotation.annotate(read.bytes, prefix: prefix, type: type, schema: type == nil ? nil : schema)
        _ = AnnotationText.lines(annotation.ranges, bytes: read.bytes)
        if let inflated = annotation.decompressed { _ = AnnotationText.lines(annotation.decompressedRanges, bytes: inflated) }
        let frames = HTTP2Annotator(schema: schema).annotate(read.bytes)
        _ = (AnnotationText.lines(frames, bytes: read.bytes), AnnotationJSON.ranges(frames, bytes: read.bytes))
    }

    /// The bytes as a key log file, added in two pieces (a file that grew).
    static func keylog(_ bytes: [UInt8]) {
        let half = bytes.count / 2
        var keyLog = KeyLog(text: bytes[..<half], source: "fuzz")
        keyLog.add(bytes[half...])
        keyLog.finish()
        _ = keyLog.problems.map(\.description)
    }
}
