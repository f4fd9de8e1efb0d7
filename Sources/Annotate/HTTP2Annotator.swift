import ByteStream
import GRPC
import HPACK
import HTTP2
import WireCore

/// Raw HTTP/2 bytes of one direction (RFC 9113), annotated frame by frame: the client preface,
/// each frame header, and each payload's parts — padding, priority, SETTINGS entries, error
/// codes, window increments, HPACK representations (RFC 7541 §6, with one dynamic table across
/// the header blocks) and the gRPC messages in DATA frames, as protobuf, typed by their stream's
/// `:path` when a schema names it.
public struct HTTP2Annotator: Sendable {
    public var schema: (any AnnotationSchema)?
    /// The message type of a stream's requests (`isRequest`) or responses, from its `:path`.
    public var messageType: @Sendable (_ path: String, _ isRequest: Bool) -> String?

    public init(schema: (any AnnotationSchema)?, messageType: @escaping @Sendable (String, Bool) -> String? = { _, _ in nil }) {
        self.schema = schema
        self.messageType = messageType
    }

    /// "1 byte", "2 bytes".
    static func count(_ bytes: Int) -> String { bytes == 1 ? "1 byte" : "\(bytes) bytes" }

    public func annotate(_ bytes: [UInt8]) -> [AnnotatedRange] {
        var ranges: [AnnotatedRange] = []
        var start = 0
        let preface = StreamSniffer.http2Preface
        if bytes.starts(with: preface) {
            ranges.append(AnnotatedRange(offset: 0, length: preface.count, depth: 0, kind: .frameHeader, text: "client connection preface (RFC 9113 §3.4)"))
            start = preface.count
        }
        var decoder = FrameDecoder(startOffset: Int64(start))
        decoder.append(bytes[start...], at: Int64(start))
        var state = State()
        while let output = decoder.next() ?? decoder.finish() {
            switch output {
            case let .frame(frame): annotate(frame, state: &state, into: &ranges)
            case let .skipped(skip):
                let span = skip.span ?? ByteSpan(start: 0, count: 0)
                ranges.append(AnnotatedRange(offset: span.start, length: span.count, depth: 0, kind: .error, text: "! " + skip.message))
            }
        }
        return ranges
    }

    struct State {
        /// Header blocks joined across CONTINUATION and decoded, as the connection state does.
        var headerBlocks = HeaderBlockAssembler()
        var paths: [UInt32: String] = [:]
        /// Streams whose headers carried :status: their DATA are responses.
        var responses: Set<UInt32> = []
    }

    func annotate(_ frame: Frame, state: inout State, into ranges: inout [AnnotatedRange]) {
        let base = Int(frame.streamOffset)
        let flags = frame.header.flags.names(for: frame.type)
        ranges.append(AnnotatedRange(offset: base, length: FrameHeader.size, depth: 0, kind: .frameHeader,
                                     text: "\(frame.type) frame: length \(frame.header.length), flags " + (flags.isEmpty ? "none" : flags.joined(separator: "|")) + ", stream \(frame.streamID)"))
        for problem in frame.problems {
            ranges.append(AnnotatedRange(offset: base + FrameHeader.size, length: 0, depth: 1, kind: .error, text: "! " + problem.message))
        }
        var cursor = base + FrameHeader.size
        func part(_ length: Int, _ kind: AnnotatedRange.Kind, _ text: String) {
            ranges.append(AnnotatedRange(offset: cursor, length: length, depth: 1, kind: kind, text: text))
            cursor += length
        }
        func padding(_ padLength: Int?) {
            if let padLength, padLength > 0 { part(padLength, .framePayload, "padding, \(Self.count(padLength))") }
        }
        switch frame.content {
        case let .data(padLength, data):
            if let padLength { part(1, .framePayload, "pad length \(padLength)") }
            messages(data, stream: frame.streamID, at: cursor, state: state, into: &ranges)
            cursor += data.count
            padding(padLength)
        case let .headers(padLength, priority, fragment):
            if let padLength { part(1, .framePayload, "pad length \(padLength)") }
            if let priority { part(5, .framePayload, "priority: depends on stream \(priority.dependency)\(priority.exclusive ? " (exclusive)" : ""), weight \(Int(priority.weight) + 1)") }
            state.headerBlocks.begin(stream: frame.streamID, startedBy: .headers, fragment: fragment, at: cursor)
            headerBlock(fragment, at: cursor, endsBlock: frame.header.flags.contains(.endHeaders), state: &state, into: &ranges)
            cursor += fragment.count
            padding(padLength)
        case let .continuation(fragment):
            switch state.headerBlocks.continue(stream: frame.streamID, fragment: fragment, at: cursor) {
            case .noOpenBlock:
                part(fragment.count, .error, "! CONTINUATION without a header block of stream \(frame.streamID) in progress (RFC 9113 §6.10)")
            case .passedLimit, .dropped:
                part(fragment.count, .error, "! header block of stream \(frame.streamID) longer than \(state.headerBlocks.maxBlockBytes) bytes: not kept, not decoded")
            case .joined:
                headerBlock(fragment, at: cursor, endsBlock: frame.header.flags.contains(.endHeaders), state: &state, into: &ranges)
            }
        case let .settings(settings):
            for setting in settings { part(6, .framePayload, "\(setting.parameter) = \(setting.value)") }
        case let .windowUpdate(increment):
            part(4, .framePayload, "window size increment \(increment)" + (frame.streamID == 0 ? " (connection)" : ""))
        case let .rstStream(code):
            part(4, .framePayload, "error code \(code)")
        case let .ping(data):
            part(8, .framePayload, "opaque data 0x" + String(data, radix: 16))
        case let .goaway(lastStreamID, code, debugData):
            part(4, .framePayload, "last stream \(lastStreamID)")
            part(4, .framePayload, "error code \(code)")
            if !debugData.isEmpty { part(debugData.count, .framePayload, "debug data " + ValueReadings.quoted(String(decoding: debugData, as: UTF8.self))) }
        case let .priority(priority):
            part(5, .framePayload, "depends on stream \(priority.dependency)\(priority.exclusive ? " (exclusive)" : ""), weight \(Int(priority.weight) + 1)")
        case .pushPromise, .altsvc, .origin, .priorityUpdate, .unknown, .malformed:
            if frame.header.length > 0 { part(frame.header.length, .framePayload, "\(frame.type) payload, \(Self.count(frame.header.length))") }
        }
    }

    /// A header block fragment (already given to the assembler); the block is decoded when its
    /// last fragment arrives.
    func headerBlock(_ fragment: ArraySlice<UInt8>, at offset: Int, endsBlock: Bool, state: inout State, into ranges: inout [AnnotatedRange]) {
        guard endsBlock else {
            ranges.append(AnnotatedRange(offset: offset, length: fragment.count, depth: 1, kind: .framePayload, text: "header block fragment, \(Self.count(fragment.count)) (decoded with the last CONTINUATION)"))
            return
        }
        guard let (block, pieces) = state.headerBlocks.finish(), let decoded = block.decoded else { return }
        func absolute(_ position: Int) -> Int {
            let piece = pieces.last { $0.blockOffset <= position } ?? pieces[0]
            return piece.offset + position - piece.blockOffset
        }
        func add(_ span: Range<Int>, _ kind: AnnotatedRange.Kind, _ text: String) {
            // With CONTINUATION frames only the last fragment is labelled field by field.
            guard pieces.count == 1 || span.lowerBound >= pieces.last!.blockOffset else { return }
            ranges.append(AnnotatedRange(offset: absolute(span.lowerBound), length: span.count, depth: 1, kind: kind, text: text))
        }
        for update in decoded.sizeUpdates { add(update.span, .headerField, "dynamic table size update to \(update.maxSize)") }
        for field in decoded.fields {
            add(field.span, .headerField, "\(field.nameString): \(field.valueString)  [\(HeaderFieldText.text(field))]")
            if field.nameString == ":path" { state.paths[block.stream] = field.valueString }
            if field.nameString == ":status" { state.responses.insert(block.stream) }
        }
        for diagnostic in decoded.diagnostics { add(decoded.undecoded?.span ?? 0..<0, .error, "! " + diagnostic.description) }
    }

    func messages(_ data: ArraySlice<UInt8>, stream: UInt32, at offset: Int, state: State, into ranges: inout [AnnotatedRange]) {
        let type = state.paths[stream].flatMap { messageType($0, !state.responses.contains(stream)) }
        var position = data.startIndex
        while data.endIndex - position >= 5, data[position] <= 1 {
            let length = MessageDeframer.declaredLength(ofPrefix: data[position...])
            guard length <= data.endIndex - position - 5 else { break }
            let at = offset + position - data.startIndex
            ranges.append(AnnotatedRange(offset: at, length: 1, depth: 1, kind: .grpcFlag, text: "gRPC Compressed-Flag \(data[position])"))
            ranges.append(AnnotatedRange(offset: at + 1, length: 4, depth: 1, kind: .grpcLength, text: "gRPC message length \(length)" + (type.map { ", " + $0 } ?? "")))
            let body = data[(position + 5)..<(position + 5 + length)]
            if data[position] == 0 {
                var inner = ProtobufAnnotator(schema: schema).annotate(body, type: type, baseOffset: at + 5)
                for index in inner.indices { inner[index].depth += 2 }
                ranges += inner
            } else if length > 0 {
                ranges.append(AnnotatedRange(offset: at + 5, length: length, depth: 2, kind: .bytes, text: "compressed message, \(Self.count(length))"))
            }
            position += 5 + length
        }
        if position < data.endIndex {
            ranges.append(AnnotatedRange(offset: offset + position - data.startIndex, length: data.endIndex - position, depth: 1, kind: .framePayload, text: "data, \(Self.count(data.endIndex - position))"))
        }
    }
}
