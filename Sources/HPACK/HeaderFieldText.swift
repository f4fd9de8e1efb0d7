/// How a header field is described in the frame views: its representation (RFC 7541 §6), where
/// its name came from, and which strings were Huffman-coded.
public enum HeaderFieldText {
    public static func representation(_ field: DecodedField) -> String {
        switch field.representation {
        case .indexed: "indexed"
        case .literalWithIncrementalIndexing: "literal with incremental indexing"
        case .literalWithoutIndexing: "literal without indexing"
        case .literalNeverIndexed: "literal never indexed"
        }
    }

    public static func source(_ field: DecodedField) -> String {
        switch field.nameSource {
        case let .staticTable(index): "static \(index)"
        case let .dynamicTable(index): "dynamic \(index)"
        case .literal: "literal name"
        case let .unknownDynamic(index): "unknown dynamic \(index)" + (field.unknownEntry.map { " (entry #\($0) from before the capture)" } ?? "")
        case let .invalidIndex(index): "invalid index \(index)"
        }
    }

    /// `indexed, static 2` or `literal with incremental indexing, name static 1, huffman value, added`.
    public static func text(_ field: DecodedField) -> String {
        var parts = [representation(field)]
        let source = source(field)
        parts.append(field.representation == .indexed || field.nameSource == .literal ? source : "name " + source)
        var huffman: [String] = []
        if field.nameHuffman == true { huffman.append("name") }
        if field.valueHuffman == true { huffman.append("value") }
        if !huffman.isEmpty { parts.append("huffman " + huffman.joined(separator: "+")) }
        if field.insertedIntoTable { parts.append("added to table") }
        if !field.evicted.isEmpty { parts.append("evicted \(field.evicted.count)") }
        return parts.joined(separator: ", ")
    }
}
