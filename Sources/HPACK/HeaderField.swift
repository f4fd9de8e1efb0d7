/// How a header field was represented on the wire (RFC 7541 §6).
public enum FieldRepresentation: String, Sendable, Hashable {
    /// §6.1 Indexed Header Field: name and value from a table entry.
    case indexed
    /// §6.2.1 Literal Header Field with Incremental Indexing: the field is added to the dynamic table.
    case literalWithIncrementalIndexing
    /// §6.2.2 Literal Header Field without Indexing.
    case literalWithoutIndexing
    /// §6.2.3 Literal Header Field Never Indexed: intermediaries must not index it either (§7.1.3),
    /// typically because it is sensitive.
    case literalNeverIndexed
}

/// Where a field's name (and, for indexed fields, its value) came from. Indices are wire indices
/// (RFC 7541 §2.3.3): 1...61 static, 62 and up dynamic (62 = newest entry).
public enum NameSource: Sendable, Hashable {
    /// A static table entry (RFC 7541 Appendix A).
    case staticTable(index: Int)
    /// A dynamic table entry the decoder holds. Its name may still be unknown when the entry was
    /// itself inserted with a name the decoder never saw.
    case dynamicTable(index: Int)
    /// A literal string in the field itself.
    case literal
    /// A dynamic table entry older than anything the decoder saw: a capture that started
    /// mid-connection, or a table given up after an undecodable block.
    case unknownDynamic(index: Int)
    /// An index that cannot refer to any entry (0, or past every possible entry); see the
    /// block's diagnostics.
    case invalidIndex(index: Int)

    /// The wire index referenced, or `nil` for a literal name.
    public var index: Int? {
        switch self {
        case .staticTable(let index), .dynamicTable(let index), .unknownDynamic(let index), .invalidIndex(let index):
            return index
        case .literal:
            return nil
        }
    }
}

/// One decoded header field and everything an inspector may want to show about it.
public struct DecodedField: Sendable, Hashable {
    /// The name, or `nil` when it could not be known (see `nameSource`).
    public var name: [UInt8]?
    /// The value, or `nil` when it could not be known (an unknown entry, a string over the limit).
    public var value: [UInt8]?
    public var representation: FieldRepresentation
    /// For an indexed field, where the whole field came from; for a literal, where the name did.
    public var nameSource: NameSource
    /// Whether the name was a Huffman-coded string; `nil` when the name was not a literal.
    public var nameHuffman: Bool?
    /// Whether the value was a Huffman-coded string; `nil` for indexed fields.
    public var valueHuffman: Bool?
    /// Absolute byte range of the whole representation in the block.
    public var span: Range<Int>
    /// Whether the field was added to the dynamic table (incremental indexing, RFC 7541 §6.2.1,
    /// unless the entry is larger than the table, §4.4).
    public var insertedIntoTable: Bool
    /// Entries evicted to make room for this one (RFC 7541 §4.4), oldest first.
    public var evicted: [DynamicTableEntry]
    /// When the name (and, for an indexed field, the value) came from an entry of the table
    /// inserted before the capture began: that entry's stable number
    /// (`DynamicTable.unknownEntryNumber`), the same in every block that refers to it.
    public var unknownEntry: Int?
    /// The text of the table entry this field took its name from (its value too when the field is
    /// indexed, or is the entry it inserted), when there was one.
    @usableFromInline var sharedText = SharedTextSlot()

    public init(
        name: [UInt8]?, value: [UInt8]?, representation: FieldRepresentation, nameSource: NameSource,
        nameHuffman: Bool? = nil, valueHuffman: Bool? = nil, span: Range<Int>,
        insertedIntoTable: Bool = false, evicted: [DynamicTableEntry] = []
    ) {
        self.name = name
        self.value = value
        self.representation = representation
        self.nameSource = nameSource
        self.nameHuffman = nameHuffman
        self.valueHuffman = valueHuffman
        self.span = span
        self.insertedIntoTable = insertedIntoTable
        self.evicted = evicted
    }

    /// The wire index the field referenced (for its name, or the whole field), if any.
    public var index: Int? { nameSource.index }

    /// RFC 7541 §4.1 size of the field (name + value + 32), counting unknown parts as empty.
    public var size: Int { (name?.count ?? 0) + (value?.count ?? 0) + DynamicTableEntry.overhead }

    /// The name as text: lossless (invalid UTF-8 and control bytes escaped as `\xNN`), or a
    /// placeholder when unknown: `<unknown entry #3, index 65>` for an entry from before the
    /// capture (the same number in every block), `<unknown dynamic index 70>` otherwise.
    @inlinable public var nameString: String {
        if let name { return sharedText.text?.name ?? EscapedText.string(name) }
        if let unknownEntry, let index = nameSource.index { return "<unknown entry #\(unknownEntry), index \(index)>" }
        switch nameSource {
        case .dynamicTable(let index), .unknownDynamic(let index): return "<unknown dynamic index \(index)>"
        case .invalidIndex(let index): return "<invalid index \(index)>"
        case .staticTable, .literal: return "<not decoded>"
        }
    }

    /// The entry's value text, when the field's value is the entry's.
    @inlinable var sharedValueText: String? {
        representation == .indexed || insertedIntoTable ? sharedText.text?.value : nil
    }

    /// The value as text, escaped like `nameString`; `<unknown>` for a value from an unknown table
    /// entry, `<not decoded>` for a literal that was not decoded.
    @inlinable public var valueString: String {
        if let value { return sharedValueText ?? EscapedText.string(value) }
        if representation == .indexed, let unknownEntry { return "<value of unknown entry #\(unknownEntry)>" }
        return representation == .indexed ? "<unknown>" : "<not decoded>"
    }
}

/// A dynamic table size update (RFC 7541 §6.3).
public struct TableSizeUpdate: Sendable, Hashable {
    /// The new maximum size, as sent.
    public var maxSize: Int
    /// Absolute byte range of the representation.
    public var span: Range<Int>
    /// Entries evicted by the new size (RFC 7541 §4.3), oldest first.
    public var evicted: [DynamicTableEntry]

    public init(maxSize: Int, span: Range<Int>, evicted: [DynamicTableEntry] = []) {
        self.maxSize = maxSize
        self.span = span
        self.evicted = evicted
    }
}
