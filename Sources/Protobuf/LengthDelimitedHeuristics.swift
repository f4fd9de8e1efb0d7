import WireCore

/// How the bytes of a LEN field are read without a schema. All readings that hold are kept as
/// alternatives; the one shown is chosen in this order:
///
/// 1. **text**, when the bytes are valid UTF-8 and every character is printable (or tab, CR, LF).
///    Short printable strings often also parse as messages (`"hi"` is field 13 = 105), so text
///    wins over a message made only of printable bytes.
/// 2. **message**, when the bytes parse completely as fields (no error, nothing left over).
/// 3. **packed varints**, when at least two varints consume the bytes exactly.
/// 4. **text**, for other valid UTF-8 (with control characters shown escaped).
/// 5. **bytes**, shown in hex.
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
        if depth < options.depthLimit {
            var reader = ByteReader(bytes, baseOffset: span.start)
            let parsed = RawDecoder.decodeMessage(&reader, depth: depth + 1, endGroup: nil, options: options)
            if parsed.isClean, !parsed.fields.isEmpty { message = parsed }
        }
        let packed = packedVarints(bytes)
        var readings: [(String, LengthDelimited.Interpretation)] = []
        if let text, printable { readings.append(("text", .text(text))) }
        if let message { readings.append(("message", .message(message))) }
        // Every ASCII string is also a run of one-byte varints: not worth mentioning for text.
        if let packed, !printable { readings.append(("packed varints", .packedVarints(packed))) }
        if let text, !printable { readings.append(("text", .text(text))) }
        guard let chosen = readings.first else { return result }
        result.interpretation = chosen.1
        result.alternatives = readings.dropFirst().map(\.0)
        return result
    }

    /// protobuf.dev "Encoding", Packed Repeated Fields: varints back to back filling the bytes.
    static func packedVarints(_ bytes: ArraySlice<UInt8>) -> [UInt64]? {
        var reader = ByteReader(bytes)
        var values: [UInt64] = []
        while !reader.isAtEnd {
            guard let value = RawDecoder.readVarint(&reader) else { return nil }
            values.append(value)
        }
        return values.count >= 2 ? values : nil
    }
}
