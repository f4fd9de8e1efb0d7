/// Why inflating stopped, as a value. Every case carries `inputOffset`: how many compressed bytes
/// zlib had consumed when it stopped, counted from the start of the compressed stream. (zlib reads
/// ahead into its bit buffer, so for corrupt data the offset is where zlib noticed the problem,
/// at most a few bytes past the bad bits.)
public enum InflateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// zlib rejected the data (`Z_DATA_ERROR`): bad header, bad block, bad checksum, wrong format.
    /// `message` is zlib's own text, e.g. "incorrect header check" or "invalid distance too far back".
    case corrupt(message: String, inputOffset: Int)
    /// The input ended before the end of the compressed stream.
    case truncated(inputOffset: Int)
    /// The output would exceed the caller's `maxOutput` (a decompression bomb, or a limit set too
    /// low). Output up to exactly `limit` bytes was produced.
    case outputLimitExceeded(limit: Int, inputOffset: Int)
    /// Bytes follow the end of the compressed stream. Concatenated gzip members (RFC 1952 §2.2)
    /// are not decoded: the second member shows up as trailing data at its first byte.
    case trailingData(inputOffset: Int)
    /// A zlib stream asks for a preset dictionary (RFC 1950 FDICT), which gRPC never uses.
    case needsDictionary(inputOffset: Int)
    /// zlib failed for a reason other than the data (out of memory, internal state error).
    case zlibFailure(code: Int32, message: String, inputOffset: Int)

    public var inputOffset: Int {
        switch self {
        case .corrupt(_, let offset), .truncated(let offset), .outputLimitExceeded(_, let offset),
            .trailingData(let offset), .needsDictionary(let offset), .zlibFailure(_, _, let offset):
            return offset
        }
    }

    /// A short explanation: zlib's message where zlib gave one.
    public var message: String {
        switch self {
        case .corrupt(let message, _): return message
        case .truncated: return "compressed stream ends early"
        case .outputLimitExceeded(let limit, _): return "output exceeds the limit of \(limit) bytes"
        case .trailingData: return "data after the end of the compressed stream"
        case .needsDictionary: return "stream needs a preset dictionary"
        case .zlibFailure(let code, let message, _): return "zlib error \(code): \(message)"
        }
    }

    public var description: String { "inflate: \(message) (at compressed byte \(inputOffset))" }
}
