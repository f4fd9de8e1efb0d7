import WireCore

/// Decodes protobuf wire format without a schema (protobuf.dev "Encoding"), keeping every byte
/// range: more than `protoc --decode_raw`, which shows no offsets, guesses without saying so and
/// stops at the first error. Errors are values: decoding stops at the first malformed byte, the
/// fields before it are kept and the rest is reported as undecoded, with the reason.
///
/// swift-protobuf's `BinaryDecoder` is internal and schema-bound, hence this decoder.
public enum RawDecoder {
    public struct Options: Sendable {
        /// Nested messages deeper than this are shown as bytes.
        public var depthLimit = 64
        public init() {}
    }

    public static func decode(_ bytes: ArraySlice<UInt8>, baseOffset: Int = 0, options: Options = Options()) -> RawMessage {
        var reader = ByteReader(bytes, baseOffset: baseOffset)
        return decodeMessage(&reader, depth: 0, endGroup: nil, options: options)
    }

    public static func decode(_ bytes: [UInt8], baseOffset: Int = 0, options: Options = Options()) -> RawMessage {
        decode(bytes[...], baseOffset: baseOffset, options: options)
    }

    /// Reads fields until the end of `reader` (or the end tag of group `endGroup`).
    static func decodeMessage(_ reader: inout ByteReader, depth: Int, endGroup: Int?, options: Options) -> RawMessage {
        var message = RawMessage()
        func fail(_ code: String, _ text: String, at start: Int, length: Diagnostic.LengthProblem? = nil) {
            message.problems.append(Diagnostic(.protobuf, code, .warning, text, span: ByteSpan(start: start, end: reader.offset), length: length))
            message.undecoded = ByteSpan(start: start, end: reader.baseOffset + reader.bytes.count)
            reader.skip(reader.remaining)
        }
        while !reader.isAtEnd {
            let start = reader.offset
            guard let tag = readVarint(&reader) else {
                fail("pb.varint.invalid", "tag is not a valid varint", at: start)
                return message
            }
            let tagSpan = ByteSpan(start: start, end: reader.offset)
            // protobuf.dev "Encoding": tag = (field_number << 3) | wire_type; field numbers 1...2^29-1.
            guard let wireType = WireType(rawValue: UInt8(tag & 7)) else {
                fail("pb.wire-type.invalid", "wire type \(tag & 7) does not exist (field \(tag >> 3))", at: start)
                return message
            }
            let number = Int(truncatingIfNeeded: tag >> 3)
            guard number >= 1, tag >> 3 <= 0x1FFF_FFFF else {
                fail("pb.field-number.invalid", "field number \(tag >> 3) is outside 1…536870911", at: start)
                return message
            }
            var field = RawField(number: number, wireType: wireType, span: tagSpan, tagSpan: tagSpan, lengthSpan: nil, value: .varint(0))
            switch wireType {
            case .varint:
                guard let value = readVarint(&reader) else {
                    fail("pb.varint.invalid", "field \(number): varint runs past the end or over 10 bytes", at: start)
                    return message
                }
                field.value = .varint(value)
            case .i64:
                guard let value = reader.readUInt64(littleEndian: true) else {
                    fail("pb.i64.short", "field \(number): fixed64 needs 8 bytes", at: start,
                         length: .init(required: 8, available: reader.remaining, source: "I64 wire type"))
                    return message
                }
                field.value = .fixed64(value)
            case .i32:
                guard let value = reader.readUInt32(littleEndian: true) else {
                    fail("pb.i32.short", "field \(number): fixed32 needs 4 bytes", at: start,
                         length: .init(required: 4, available: reader.remaining, source: "I32 wire type"))
                    return message
                }
                field.value = .fixed32(value)
            case .len:
                let lengthStart = reader.offset
                guard let length = readVarint(&reader), length <= UInt64(Int32.max) else {
                    fail("pb.length.invalid", "field \(number): length prefix is not a valid varint", at: start)
                    return message
                }
                field.lengthSpan = ByteSpan(start: lengthStart, end: reader.offset)
                let contentStart = reader.offset
                guard let content = reader.readBytes(Int(length)) else {
                    fail("pb.length.past-end", "field \(number): length \(length) runs past the end", at: start,
                         length: .init(required: Int(length), available: reader.remaining, source: "length prefix of field \(number)"))
                    return message
                }
                field.value = .lengthDelimited(LengthDelimitedHeuristics.interpret(
                    content, span: ByteSpan(start: contentStart, count: Int(length)), depth: depth, options: options))
            case .startGroup:
                guard depth < options.depthLimit else {
                    fail("pb.depth-limit", "group nested deeper than \(options.depthLimit)", at: start)
                    return message
                }
                let inner = decodeMessage(&reader, depth: depth + 1, endGroup: number, options: options)
                field.value = .group(inner.fields)
                if !inner.isClean {
                    message.fields.append(field)
                    message.problems += inner.problems
                    message.undecoded = inner.undecoded
                    return message
                }
            case .endGroup:
                guard endGroup == number else {
                    fail("pb.group.mismatch", endGroup.map { "end of group \(number) inside group \($0)" } ?? "end of group \(number) without a start", at: start)
                    return message
                }
                return message
            }
            field.span = ByteSpan(start: start, end: reader.offset)
            message.fields.append(field)
        }
        if let endGroup {
            message.problems.append(Diagnostic(.protobuf, "pb.group.unterminated", .warning, "group \(endGroup) has no end tag",
                                               span: ByteSpan(start: reader.offset, count: 0)))
            message.undecoded = ByteSpan(start: reader.offset, count: 0)
        }
        return message
    }

    /// protobuf.dev "Encoding", Base 128 Varints: at most 10 bytes, the tenth holding one bit.
    public static func readVarint(_ reader: inout ByteReader) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var probe = reader
        while let byte = probe.readUInt8() {
            if shift == 63, byte > 1 { return nil }  // more than 64 bits
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                reader = probe
                return value
            }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }
}
