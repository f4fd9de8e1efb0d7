import WireCore

/// A problem found while decoding a header block, kept as data beside what was decoded.
///
/// `span` is absolute: offsets count from the `baseOffset` given to `HPACKDecoder.decode`, so a
/// caller passing the block's offset in the HTTP/2 stream gets stream offsets.
public struct HPACKDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers, safe to match in scripts and tests.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// An integer runs past the end of the block (RFC 7541 §5.1). Stops the block.
        case truncatedInteger = "hpack.truncated_integer"
        /// A string's declared length runs past the end of the block (RFC 7541 §5.2). Stops the block.
        case truncatedString = "hpack.truncated_string"
        /// An integer exceeds this decoder's limit of 2^31 - 1 (RFC 7541 §5.1). Stops the block.
        case integerOverflow = "hpack.integer_overflow"
        /// An integer has more continuation octets than any accepted value needs (RFC 7541 §5.1).
        /// Stops the block.
        case integerTooLong = "hpack.integer_too_long"
        /// Index 0 in an indexed field (RFC 7541 §6.1). The field becomes a placeholder.
        case indexZero = "hpack.index_zero"
        /// An index past both tables (RFC 7541 §2.3.3). The field becomes a placeholder.
        case indexOutOfRange = "hpack.index_out_of_range"
        /// A string longer than `HPACKLimits.maxStringLength`; it is skipped, not decoded.
        case stringTooLong = "hpack.string_too_long"
        /// The header list exceeds `HPACKLimits.maxHeaderListSize` (RFC 7541 §4.1 sizes). Later
        /// fields are still decoded to keep the dynamic table in step, but not reported.
        case headerListTooLarge = "hpack.header_list_too_large"
        /// Huffman padding longer than 7 bits (RFC 7541 §5.2). The decoded symbols are kept.
        case huffmanPaddingTooLong = "hpack.huffman_padding_too_long"
        /// Huffman padding that is not all ones (RFC 7541 §5.2). The decoded symbols are kept.
        case huffmanPaddingNotOnes = "hpack.huffman_padding_not_ones"
        /// The EOS symbol inside a Huffman string (RFC 7541 §5.2). The symbols before it are kept.
        case huffmanEOS = "hpack.huffman_eos"
        /// A dynamic table size update above the protocol maximum (RFC 7541 §6.3, §4.2).
        /// Applied anyway, as the encoder will use it.
        case tableSizeUpdateTooLarge = "hpack.table_size_update_too_large"
        /// A dynamic table size update after the first field of a block (RFC 7541 §4.2).
        /// Applied anyway.
        case tableSizeUpdateNotAtStart = "hpack.table_size_update_not_at_start"
        /// The first block after SETTINGS_HEADER_TABLE_SIZE was lowered below the table's size does
        /// not start with a dynamic table size update (RFC 7541 §4.2).
        case missingTableSizeUpdate = "hpack.missing_table_size_update"
        /// A table size beyond `HPACKLimits.maxTableSize`: this decoder keeps less than the encoder,
        /// so evicted entries become unknown.
        case tableSizeLimited = "hpack.table_size_limited"
        /// The block could not be parsed to its end, so later references to the dynamic table may
        /// be misattributed; the held entries were given up and now decode as unknown.
        case tableStateLost = "hpack.table_state_lost"

        /// The RFC 7541 section the check comes from; `nil` for this decoder's own limits.
        public var rfcSection: String? {
            switch self {
            case .truncatedInteger, .integerOverflow, .integerTooLong: return "5.1"
            case .truncatedString, .huffmanPaddingTooLong, .huffmanPaddingNotOnes, .huffmanEOS: return "5.2"
            case .indexZero: return "6.1"
            case .indexOutOfRange: return "2.3.3"
            case .tableSizeUpdateTooLarge: return "6.3"
            case .tableSizeUpdateNotAtStart, .missingTableSizeUpdate: return "4.2"
            case .headerListTooLarge: return "4.1"
            case .stringTooLong, .tableSizeLimited: return nil
            case .tableStateLost: return "2.3.2"
            }
        }
    }

    /// The project-wide severity (note, warning, error).
    public typealias Severity = Diagnostic.Severity

    /// A length requirement that could not be met (truncation): the project-wide type.
    public typealias LengthProblem = Diagnostic.LengthProblem

    public var code: Code
    public var severity: Severity
    public var message: String
    /// Absolute byte range of the offending octets.
    public var span: Range<Int>
    /// Index into `HeaderBlock.fields` of the field this concerns, if it was reported.
    public var fieldIndex: Int?
    public var length: LengthProblem?

    public init(
        _ code: Code, _ severity: Severity, _ message: String, span: Range<Int>,
        fieldIndex: Int? = nil, length: LengthProblem? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.span = span
        self.fieldIndex = fieldIndex
        self.length = length
    }

    public var description: String {
        var text = "hpack \(severity.rawValue): \(message)"
        if let length {
            text += " (\(length.source) requires \(length.required) bytes, \(length.available) available)"
        }
        let section = code.rfcSection.map { ", RFC 7541 §\($0)" } ?? ""
        return text + " [\(code.rawValue)\(section), bytes \(span.lowerBound)..<\(span.upperBound)]"
    }
}
