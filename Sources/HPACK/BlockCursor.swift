/// A problem after which the rest of the block cannot be parsed.
struct HardError: Error {
    var diagnostic: HPACKDiagnostic
    init(_ diagnostic: HPACKDiagnostic) { self.diagnostic = diagnostic }
}

/// Position within the block being decoded; offsets in results are `baseOffset`-relative.
struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let baseOffset: Int
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// Absolute span of `range` (buffer positions).
    func span(_ range: Range<Int>) -> Range<Int> { (baseOffset + range.lowerBound)..<(baseOffset + range.upperBound) }

    /// Reads an RFC 7541 §5.1 integer whose prefix is in the current octet (which must exist).
    mutating func readInteger(prefixBits: Int, what: WirePart) throws(HardError) -> Int {
        let start = position
        switch IntegerCoding.decode(bytes, at: start, prefixBits: prefixBits) {
        case .value(let value, let end):
            position = end
            return value
        case .truncated(let end):
            throw HardError(HPACKDiagnostic(
                .truncatedInteger, .error, "\(what) integer runs past the end of the block", span: span(start..<end),
                length: .init(required: end - start + 1, available: end - start, source: "\(what) continuation bit")))
        case .overflow(let end):
            throw HardError(HPACKDiagnostic(
                .integerOverflow, .error, "\(what) integer exceeds \(IntegerCoding.maxValue)", span: span(start..<end)))
        case .tooManyOctets(let end):
            throw HardError(HPACKDiagnostic(
                .integerTooLong, .error,
                "\(what) integer has more than \(IntegerCoding.maxContinuationOctets) continuation octets",
                span: span(start..<end)))
        }
    }
}

/// The item being read, for diagnostics' messages (built only when something goes wrong).
enum WirePart: String, CustomStringConvertible {
    case index
    case nameIndex = "name index"
    case tableSize = "table size"
    case name
    case value
    case nameLength = "name string length"
    case valueLength = "value string length"

    var description: String { rawValue }
}
