/// The result of decoding one header block (RFC 7541 §2: the concatenated HEADERS/PUSH_PROMISE
/// and CONTINUATION fragments). Decoding never fails as a whole: what was decoded, what went wrong
/// and what could not be decoded are all here.
public struct HeaderBlock: Sendable, Hashable {
    /// Bytes that were not decoded, and why.
    public struct UndecodedSpan: Sendable, Hashable {
        public var span: Range<Int>
        public var reason: HPACKDiagnostic.Code

        public init(span: Range<Int>, reason: HPACKDiagnostic.Code) {
            self.span = span
            self.reason = reason
        }
    }

    /// Absolute byte range of the whole block.
    public var span: Range<Int>
    /// The header fields in wire order.
    public var fields: [DecodedField] = []
    /// Dynamic table size updates, in wire order.
    public var sizeUpdates: [TableSizeUpdate] = []
    public var diagnostics: [HPACKDiagnostic] = []
    /// The tail of the block that was not decoded (after a hard error) or not reported (after the
    /// header list size limit), if any. Fields before it are kept.
    public var undecoded: UndecodedSpan?
    /// RFC 7541 §4.1 size of the whole header list, including fields past the list size limit.
    public var headerListSize = 0

    public init(span: Range<Int>) {
        self.span = span
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Name/value pairs as text, for display and tests (see `DecodedField.nameString`).
    public var headers: [(name: String, value: String)] { fields.map { ($0.nameString, $0.valueString) } }
}
