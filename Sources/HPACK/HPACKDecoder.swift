// An RFC 7541 (HPACK) decoder for an inspector.
//
// Why not NIOHPACK: its decoder cannot report how each field was represented (indexed, literal
// with/without/never indexing, Huffman or not, which index), fails the whole block on an unknown
// dynamic table index (so a capture that starts mid-connection cannot be decoded at all), and keeps
// its Huffman decoder and tables internal. An inspector needs all of that, plus byte spans and
// diagnostics as data, so this module decodes HPACK itself. NIOHPACK's encoder remains a good test
// oracle.

/// Decodes the header blocks of one direction of one HTTP/2 connection (RFC 7541 §2.2: one
/// decoding context per direction).
///
/// Decoding never traps and never fails as a whole: every block yields a `HeaderBlock` with the
/// fields decoded, diagnostics with absolute byte spans, and the span it could not decode.
///
/// Two ways to start:
/// - `HPACKDecoder()`: the capture saw the connection from its start. An index past the tables
///   is an error (`indexOutOfRange`), reported on a placeholder field; decoding continues.
/// - `HPACKDecoder(startsMidConnection: true)`: the dynamic table may hold entries that were never
///   seen. References to them decode as placeholder fields named `<unknown dynamic index N>`, and
///   decoding continues; see `DynamicTable` for how the unknown part is tracked.
public struct HPACKDecoder: Sendable {
    /// A read-only view of the dynamic table.
    public private(set) var dynamicTable: DynamicTable
    /// The protocol maximum for the table size (SETTINGS_HEADER_TABLE_SIZE as acknowledged):
    /// size updates above it are errors (RFC 7541 §6.3).
    public private(set) var maxAllowedTableSize: Int
    public let limits: HPACKLimits
    /// Set when SETTINGS_HEADER_TABLE_SIZE dropped below the table's size: the next block must
    /// begin with a size update (RFC 7541 §4.2).
    private var sizeUpdateRequired = false
    /// Reused output buffer for Huffman decoding.
    private var huffmanBuffer: [UInt8] = []

    /// - Parameters:
    ///   - maxTableSize: SETTINGS_HEADER_TABLE_SIZE in force (4096 is HTTP/2's initial value).
    ///   - startsMidConnection: the table may already hold entries this decoder never saw.
    public init(maxTableSize: Int = 4096, limits: HPACKLimits = .default, startsMidConnection: Bool = false) {
        let maxTableSize = max(0, maxTableSize)
        self.limits = limits
        self.maxAllowedTableSize = maxTableSize
        self.dynamicTable = DynamicTable(
            maxSize: maxTableSize, storageLimit: limits.maxTableSize, startsUnknown: startsMidConnection)
    }

    /// Whether the decoder's table may differ from the encoder's (unknown entries or parts).
    public var isTablePartlyKnown: Bool { dynamicTable.isPartlyKnown }

    /// Applies an acknowledged SETTINGS_HEADER_TABLE_SIZE: it becomes both the protocol maximum and
    /// the table's maximum size (evicting as needed, RFC 7541 §4.3), as nghttp2 does. When it drops
    /// below the table's maximum, the encoder must announce its new size at the start of the next
    /// block (RFC 7541 §4.2). Returns the evicted entries, oldest first.
    @discardableResult
    public mutating func setMaxTableSize(_ size: Int) -> [DynamicTableEntry] {
        let size = max(0, size)
        if size < dynamicTable.maxSize { sizeUpdateRequired = true }
        maxAllowedTableSize = size
        return dynamicTable.setMaxSize(size, storageLimit: limits.maxTableSize)
    }

    /// A header block the encoder sent was not decoded (cut off, or over a limit): its table
    /// changed in ways never seen, as if the capture started here (RFC 7541 §2.3.2). The entries
    /// known so far may now be at any index, so they are dropped; references past the static
    /// table decode as placeholders until new entries are learnt.
    public mutating func loseTableContext() {
        dynamicTable = DynamicTable(maxSize: dynamicTable.maxSize, storageLimit: limits.maxTableSize, startsUnknown: true)
    }

    /// Decodes one complete header block.
    /// - Parameter baseOffset: absolute offset of the block's first byte (e.g. in the HTTP/2
    ///   stream); every span in the result is relative to the same origin.
    public mutating func decode(block bytes: some Collection<UInt8>, baseOffset: Int = 0) -> HeaderBlock {
        if let block = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0, baseOffset: baseOffset) }) {
            return block
        }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0, baseOffset: baseOffset) }
    }

    private mutating func decode(buffer: UnsafeBufferPointer<UInt8>, baseOffset: Int) -> HeaderBlock {
        var cursor = Cursor(bytes: buffer, baseOffset: baseOffset)
        var block = HeaderBlock(span: baseOffset..<(baseOffset + buffer.count))
        // Every field takes a byte at least: room for the usual few, so that the array is not
        // grown (and copied) at 1, 2, 4 and 8 fields. Ten fields stay under 1 KiB, which glibc
        // serves from its per-thread cache; 24 took a slow allocation for every block.
        block.fields.reserveCapacity(min(buffer.count, 10))
        if sizeUpdateRequired {
            sizeUpdateRequired = false
            // RFC 7541 §4.2: after the maximum changes, a size update MUST open the next block.
            if buffer.isEmpty || buffer[0] & 0xe0 != 0x20 {
                block.diagnostics.append(HPACKDiagnostic(
                    .missingTableSizeUpdate, .warning,
                    "block does not start with the dynamic table size update required after "
                        + "SETTINGS_HEADER_TABLE_SIZE dropped to \(maxAllowedTableSize)",
                    span: cursor.span(0..<min(1, buffer.count))))
            }
        }
        var sawField = false
        var reporting = true
        parsing: while !cursor.isAtEnd {
            let start = cursor.position
            let first = buffer[start]
            let firstDiagnostic = block.diagnostics.count
            do {
                // RFC 7541 §6.3: a dynamic table size update starts with the bits 001.
                if first & 0xe0 == 0x20 {
                    try decodeSizeUpdate(&cursor, into: &block, afterField: sawField)
                    continue
                }
                sawField = true
                let fieldIndex = reporting ? block.fields.count : nil
                // RFC 7541 §6.1: an indexed header field starts with the bit 1.
                let field = first & 0x80 != 0
                    ? try decodeIndexed(&cursor, into: &block, fieldIndex: fieldIndex)
                    : try decodeLiteral(&cursor, into: &block, fieldIndex: fieldIndex)
                block.headerListSize += field.size
                guard reporting else { continue }
                if block.headerListSize > limits.maxHeaderListSize {
                    reporting = false
                    block.unlinkDiagnostics(from: firstDiagnostic)
                    block.diagnostics.append(HPACKDiagnostic(
                        .headerListTooLarge, .error,
                        "header list exceeds \(limits.maxHeaderListSize) octets; this and later fields are not reported",
                        span: field.span))
                    block.undecoded = HeaderBlock.UndecodedSpan(
                        span: field.span.lowerBound..<block.span.upperBound, reason: .headerListTooLarge)
                } else {
                    block.fields.append(field)
                }
            } catch {
                // The field being parsed is not reported, so nothing may point at it.
                block.diagnostics.append(error.diagnostic)
                block.unlinkDiagnostics(from: firstDiagnostic)
                if block.undecoded == nil {
                    block.undecoded = HeaderBlock.UndecodedSpan(
                        span: cursor.span(start..<buffer.count), reason: error.diagnostic.code)
                }
                // The undecoded rest may have inserted entries, so no held entry's index is certain.
                dynamicTable.forgetEntries()
                block.diagnostics.append(HPACKDiagnostic(
                    .tableStateLost, .warning,
                    "dynamic table state lost: later references to it decode as unknown",
                    span: cursor.span(start..<buffer.count)))
                break parsing
            }
        }
        return block
    }

    // MARK: Representations

    /// RFC 7541 §6.1: Indexed Header Field, a 7-bit prefix index.
    private mutating func decodeIndexed(
        _ cursor: inout Cursor, into block: inout HeaderBlock, fieldIndex: Int?
    ) throws(HardError) -> DecodedField {
        let start = cursor.position
        let index = try cursor.readInteger(prefixBits: 7, what: .index)
        let span = cursor.span(start..<cursor.position)
        let entry = lookUp(index, span: span, into: &block, fieldIndex: fieldIndex)
        var field = DecodedField(
            name: entry.name, value: entry.value, representation: .indexed, nameSource: entry.source, span: span)
        field.unknownEntry = entry.unknownEntry
        field.sharedText = SharedTextSlot(entry.text)
        return field
    }

    /// RFC 7541 §6.2: the three literal representations, which differ in their first bits and
    /// prefix length: 01 + 6-bit name index (§6.2.1), 0000 + 4 bits (§6.2.2), 0001 + 4 bits (§6.2.3).
    private mutating func decodeLiteral(
        _ cursor: inout Cursor, into block: inout HeaderBlock, fieldIndex: Int?
    ) throws(HardError) -> DecodedField {
        let start = cursor.position
        let first = cursor.bytes[start]
        let representation: FieldRepresentation
        let prefixBits: Int
        if first & 0x40 != 0 {
            (representation, prefixBits) = (.literalWithIncrementalIndexing, 6)
        } else if first & 0x10 != 0 {
            (representation, prefixBits) = (.literalNeverIndexed, 4)
        } else {
            (representation, prefixBits) = (.literalWithoutIndexing, 4)
        }
        let nameIndex = try cursor.readInteger(prefixBits: prefixBits, what: .nameIndex)
        var name: [UInt8]?
        var nameMinimumLength = 0
        var nameHuffman: Bool?
        var unknownEntry: Int?
        var nameText: SharedFieldText?
        let nameSource: NameSource
        // RFC 7541 §6.2.1-6.2.3: a name index of 0 means a literal name string follows.
        if nameIndex == 0 {
            let literal = try readString(&cursor, into: &block, fieldIndex: fieldIndex, what: .name)
            (name, nameMinimumLength, nameHuffman) = (literal.bytes, literal.minimumLength, literal.huffman)
            nameSource = .literal
        } else {
            let entry = lookUp(nameIndex, span: cursor.span(start..<cursor.position), into: &block, fieldIndex: fieldIndex)
            (name, nameSource, unknownEntry, nameText) = (entry.name, entry.source, entry.unknownEntry, entry.text)
        }
        let value = try readString(&cursor, into: &block, fieldIndex: fieldIndex, what: .value)
        var field = DecodedField(
            name: name, value: value.bytes, representation: representation, nameSource: nameSource,
            nameHuffman: nameHuffman, valueHuffman: value.huffman, span: cursor.span(start..<cursor.position))
        field.unknownEntry = unknownEntry
        field.sharedText = SharedTextSlot(nameText)
        if representation == .literalWithIncrementalIndexing {
            let minimumSize = (name?.count ?? nameMinimumLength) + (value.bytes?.count ?? value.minimumLength)
                + DynamicTableEntry.overhead
            var entry = DynamicTableEntry(name: name, value: value.bytes, minimumSize: minimumSize, unknownName: unknownEntry)
            entry.sharedText = SharedTextSlot(SharedFieldText(name: name, value: value.bytes))
            let change = dynamicTable.insert(entry)
            field.insertedIntoTable = change.inserted
            field.evicted = change.evicted
            if change.inserted { field.sharedText = entry.sharedText }
        }
        return field
    }

    /// RFC 7541 §6.3: Dynamic Table Size Update, a 5-bit prefix size.
    private mutating func decodeSizeUpdate(
        _ cursor: inout Cursor, into block: inout HeaderBlock, afterField: Bool
    ) throws(HardError) {
        let start = cursor.position
        let newSize = try cursor.readInteger(prefixBits: 5, what: .tableSize)
        let span = cursor.span(start..<cursor.position)
        // RFC 7541 §4.2: a size update MUST occur at the beginning of a header block.
        if afterField {
            block.diagnostics.append(HPACKDiagnostic(
                .tableSizeUpdateNotAtStart, .error, "dynamic table size update after a header field", span: span))
        }
        // RFC 7541 §6.3: the new maximum MUST NOT exceed the protocol's limit.
        if newSize > maxAllowedTableSize {
            block.diagnostics.append(HPACKDiagnostic(
                .tableSizeUpdateTooLarge, .error,
                "dynamic table size update to \(newSize) exceeds SETTINGS_HEADER_TABLE_SIZE \(maxAllowedTableSize)",
                span: span))
        }
        if newSize > limits.maxTableSize {
            block.diagnostics.append(HPACKDiagnostic(
                .tableSizeLimited, .warning,
                "dynamic table of \(newSize) octets held only up to \(limits.maxTableSize); evicted entries become unknown",
                span: span))
        }
        let evicted = dynamicTable.setMaxSize(newSize, storageLimit: limits.maxTableSize)
        block.sizeUpdates.append(TableSizeUpdate(maxSize: newSize, span: span, evicted: evicted))
    }

    // MARK: Parts

    /// Resolves a wire index (RFC 7541 §2.3.3) against the static and dynamic tables.
    private func lookUp(
        _ index: Int, span: Range<Int>, into block: inout HeaderBlock, fieldIndex: Int?
    ) -> (name: [UInt8]?, value: [UInt8]?, source: NameSource, unknownEntry: Int?, text: SharedFieldText?) {
        // RFC 7541 §6.1: the index value of 0 is not used; it MUST be treated as a decoding error.
        if index == 0 {
            block.diagnostics.append(HPACKDiagnostic(
                .indexZero, .error, "index 0 in an indexed header field", span: span, fieldIndex: fieldIndex))
            return (nil, nil, .invalidIndex(index: 0), nil, nil)
        }
        if let entry = StaticTable.entry(at: index) {
            return (entry.name, entry.value, .staticTable(index: index), nil, StaticTable.texts[index - 1])
        }
        let dynamicIndex = index - StaticTable.count
        if let entry = dynamicTable[dynamicIndex: dynamicIndex] {
            return (entry.name, entry.value, .dynamicTable(index: index), entry.name == nil ? entry.unknownName : nil, entry.sharedText.text)
        }
        if dynamicTable.mayHaveUnknownEntries && dynamicIndex <= dynamicTable.maxPossibleEntries {
            return (nil, nil, .unknownDynamic(index: index), dynamicTable.unknownEntryNumber(dynamicIndex: dynamicIndex), nil)
        }
        // RFC 7541 §2.3.3: indices strictly greater than the sum of the lengths of both tables
        // MUST be treated as a decoding error.
        block.diagnostics.append(HPACKDiagnostic(
            .indexOutOfRange, .error,
            "index \(index) is past the static table (61) and the dynamic table (\(dynamicTable.count) entries)",
            span: span, fieldIndex: fieldIndex))
        return (nil, nil, .invalidIndex(index: index), nil, nil)
    }

    /// A string literal (RFC 7541 §5.2): H bit, 7-bit prefix length, then that many octets.
    private mutating func readString(
        _ cursor: inout Cursor, into block: inout HeaderBlock, fieldIndex: Int?, what: WirePart
    ) throws(HardError) -> (bytes: [UInt8]?, huffman: Bool, minimumLength: Int) {
        let start = cursor.position
        guard start < cursor.bytes.count else {
            throw HardError(HPACKDiagnostic(
                .truncatedString, .error, "block ends before the \(what) string", span: cursor.span(start..<start),
                fieldIndex: fieldIndex, length: .init(required: 1, available: 0, source: "\(what) string length prefix")))
        }
        let huffman = cursor.bytes[start] & 0x80 != 0
        let length = try cursor.readInteger(prefixBits: 7, what: what == .name ? .nameLength : .valueLength)
        let dataStart = cursor.position
        let available = cursor.bytes.count - dataStart
        // RFC 7541 §5.2: the string's octets follow its length; they must be in the block.
        guard length <= available else {
            throw HardError(HPACKDiagnostic(
                .truncatedString, .error, "\(what) string runs past the end of the block",
                span: cursor.span(start..<cursor.bytes.count), fieldIndex: fieldIndex,
                length: .init(required: length, available: available, source: "\(what) string length prefix")))
        }
        cursor.position += length
        let span = cursor.span(start..<cursor.position)
        let data = UnsafeBufferPointer(rebasing: cursor.bytes[dataStart..<cursor.position])
        func tooLong() -> HPACKDiagnostic {
            HPACKDiagnostic(
                .stringTooLong, .error, "\(what) string longer than \(limits.maxStringLength) octets was not decoded",
                span: span, fieldIndex: fieldIndex)
        }
        guard length <= limits.maxStringLength else {
            block.diagnostics.append(tooLong())
            return (nil, huffman, huffman ? 0 : length)
        }
        guard huffman else { return (Array(data), false, length) }

        huffmanBuffer.removeAll(keepingCapacity: true)
        if let failure = HuffmanDecoder.shared.decode(data, into: &huffmanBuffer) {
            let dataSpan = cursor.span(dataStart..<cursor.position)
            block.diagnostics.append(Self.diagnostic(for: failure, what: what, data: dataSpan, fieldIndex: fieldIndex))
        }
        guard huffmanBuffer.count <= limits.maxStringLength else {
            block.diagnostics.append(tooLong())
            return (nil, true, 0)
        }
        return (Array(huffmanBuffer), true, huffmanBuffer.count)
    }

    private static func diagnostic(
        for failure: HuffmanDecoder.Failure, what: WirePart, data: Range<Int>, fieldIndex: Int?
    ) -> HPACKDiagnostic {
        switch failure {
        case .eos(let octet):
            let at = data.lowerBound + octet
            return HPACKDiagnostic(
                .huffmanEOS, .error, "Huffman-coded \(what) contains the EOS symbol; decoded up to it",
                span: at..<(at + 1), fieldIndex: fieldIndex)
        case .paddingTooLong(let bits):
            return HPACKDiagnostic(
                .huffmanPaddingTooLong, .error, "Huffman-coded \(what) ends with \(bits) bits of padding (at most 7 allowed)",
                span: (data.upperBound - 1 - (bits - 1) / 8)..<data.upperBound, fieldIndex: fieldIndex)
        case .paddingNotOnes:
            return HPACKDiagnostic(
                .huffmanPaddingNotOnes, .error, "Huffman-coded \(what) ends with padding that is not all ones",
                span: (data.upperBound - 1)..<data.upperBound, fieldIndex: fieldIndex)
        }
    }
}

extension HeaderBlock {
    /// Clears `fieldIndex` on diagnostics from `index` on, for a field that is not reported.
    fileprivate mutating func unlinkDiagnostics(from index: Int) {
        for i in index..<diagnostics.count { diagnostics[i].fieldIndex = nil }
    }
}
