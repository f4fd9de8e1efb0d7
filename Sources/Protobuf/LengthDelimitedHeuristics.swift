import WireCore

/// How the bytes of a LEN field are read without a schema. All readings that hold are kept as
/// alternatives; the one shown is chosen in this order:
///
/// 1. **text**, when the bytes are valid UTF-8 and every character is printable (or tab, CR, LF).
///    Short printable strings often also parse as messages (`"hi"` is field 13 = 105), so text
///    wins over a message made only of printable bytes — unless the text holds a tab, CR or LF
///    and the message reading is complete: those bytes (0x09, 0x0A, 0x0D) are common tags.
/// 2. **message**, when the bytes parse completely as fields (no error, nothing left over).
/// 3. **packed fixed64 / fixed32**, when the length is a multiple of 8 (4) and every value read
///    as a double (float) is plausible: zero or a finite magnitude in 1e-9…1e15. Random bytes
///    rarely pass this; real packed doubles and floats nearly always do.
/// 4. **packed varints**, when at least two varints consume the bytes exactly.
/// 5. **text**, for other valid UTF-8 (with control characters shown escaped).
/// 6. **bytes**, shown in hex.
public enum LengthDelimitedHeuristics {
    static func interpret(_ bytes: ArraySlice<UInt8>, span: ByteSpan, depth: Int, options: RawDecoder.Options) -> LengthDelimited {
        var result = LengthDelimited(span: span, bytes: bytes, interpretation: .bytes, alternatives: [])
        guard !bytes.isEmpty else {
            result.interpretation = .text("")
            return result
        }
        let text = String(validating: bytes, as: UTF8.self)
        let printable = text.map { $0.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\n" || $0 == "\r" || $0 == "\t" } } ?? false
        var message: RawMessage?
        result.atDepthLimit = depth >= options.depthLimit
        if !result.atDepthLimit {
            var reader = ByteReader(bytes, baseOffset: span.start)
            let parsed = RawDecoder.decodeMessage(&reader, depth: depth + 1, endGroup: nil, options: options)
            if parsed.isClean, !parsed.fields.isEmpty { message = parsed }
        }
        let packed = packedVarints(bytes)
        // Text with line breaks or tabs that also parses completely as a message is a message:
        // "\n#grpc.reflection…" is field 1, length 35, not a line break and a '#'.
        let whitespace = text?.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\t" } ?? false
        var readings: [(String, LengthDelimited.Interpretation)] = []
        if let text, printable, !(whitespace && message != nil) { readings.append(("text", .text(text))) }
        if let message { readings.append(("message", .message(message))) }
        if let text, printable, whitespace, message != nil { readings.append(("text", .text(text))) }
        if !printable, message == nil {
            if let values = packedFixed64(bytes) { readings.append(("packed fixed64", .packedFixed64(values))) }
            if let values = packedFixed32(bytes) { readings.append(("packed fixed32", .packedFixed32(values))) }
        }
        // Every ASCII string is also a run of one-byte varints: not worth mentioning for text.
        if let packed, !printable { readings.append(("packed varints", .packedVarints(packed))) }
        if let text, !printable { readings.append(("text", .text(text))) }
        guard let chosen = readings.first else { return result }
        result.interpretation = chosen.1
        // A message of small fields is nearly always also a run of varints and often UTF-8 with
        // control characters: those readings are noise next to it and are not offered.
        let noise: Set<String> = message != nil ? ["packed varints", "text"] : []
        result.alternatives = readings.dropFirst().map(\.0).filter { !noise.contains($0) || (printable && $0 == "text") }
        return result
    }

    static func plausible(_ value: Double) -> Bool {
        value == 0 || (value.isFinite && (1e-9...1e15).contains(abs(value)))
    }

    /// Packed fixed64 values read as doubles, when all are plausible.
    static func packedFixed64(_ bytes: ArraySlice<UInt8>) -> [UInt64]? {
        guard bytes.count >= 8, bytes.count % 8 == 0 else { return nil }
        var reader = ByteReader(bytes)
        var values: [UInt64] = []
        while let value = reader.readUInt64(littleEndian: true) {
            guard plausible(Double(bitPattern: value)) else { return nil }
            values.append(value)
        }
        return values
    }

    /// Packed fixed32 values read as floats, when all are plausible.
    static func packedFixed32(_ bytes: ArraySlice<UInt8>) -> [UInt32]? {
        guard bytes.count >= 4, bytes.count % 4 == 0 else { return nil }
        var reader = ByteReader(bytes)
        var values: [UInt32] = []
        while let value = reader.readUInt32(littleEndian: true) {
            guard plausible(Double(Float(bitPattern: value))) else { return nil }
            values.append(value)
        }
        return values
    }

    /// protobuf.dev "Encoding", Packed Repeated Fields: varints back to back filling the bytes.
    static func packedVarints(_ bytes: ArraySlice<UInt8>) -> [UInt64]? {
        // The last byte of a run ends a varint: a quick rejection for about half of random blobs,
        // which would otherwise be read whole before failing at their end.
        guard let last = bytes.last, last < 0x80 else { return nil }
        var reader = ByteReader(bytes)
        var values: [UInt64] = []
        while !reader.isAtEnd {
            guard let value = RawDecoder.readVarint(&reader) else { return nil }
            values.append(value)
        }
        return values.count >= 2 ? values : nil
    }
}
