/// Limits against hostile or broken input. Each is enforced with a diagnostic carrying the byte
/// offset, never a trap; see `HPACKDiagnostic.Code` for what happens to the rest of the block.
public struct HPACKLimits: Sendable, Hashable {
    /// Most octets of header list per block, counted as RFC 7541 §4.1 sizes (name + value + 32 per
    /// field; HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE counts the same way). Fields past it are decoded
    /// to keep the dynamic table in step but not reported.
    public var maxHeaderListSize: Int
    /// Longest string (name or value, after Huffman decoding) that is decoded; longer ones are skipped.
    public var maxStringLength: Int
    /// Largest dynamic table this decoder keeps, whatever SETTINGS_HEADER_TABLE_SIZE or a size
    /// update says (a peer may announce up to 2^32 - 1 octets).
    public var maxTableSize: Int

    public init(maxHeaderListSize: Int = 64 << 10, maxStringLength: Int = 64 << 10, maxTableSize: Int = 1 << 20) {
        self.maxHeaderListSize = max(0, maxHeaderListSize)
        self.maxStringLength = max(0, maxStringLength)
        self.maxTableSize = max(0, maxTableSize)
    }

    public static let `default` = HPACKLimits()
}
