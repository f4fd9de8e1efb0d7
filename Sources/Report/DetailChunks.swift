import Protobuf
import Zlib

/// The calls' details (each call's `--json` object with its frames), packed as they come into
/// chunks of a JSON array each, deflated (zlib, RFC 1950): headers repeat from call to call, so
/// a chunk shrinks about tenfold. The page keeps them as base64 and inflates a chunk with the
/// browser's own `DecompressionStream("deflate")` only when one of its calls is opened, so a page
/// of 100,000 calls loads without parsing them all.
struct DetailChunks {
    static let callsPerChunk = 500

    /// Deflated JSON arrays.
    private(set) var chunks: [[UInt8]] = []
    private var open = JSONBuffer()
    private var openCount = 0

    /// Adds one call's detail (a JSON object); returns where it is: (chunk, index in the chunk).
    mutating func append(_ detail: JSONBuffer) -> (chunk: Int, index: Int) {
        open.raw(openCount == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
        open.raw(detail)
        defer {
            openCount += 1
            if openCount == Self.callsPerChunk { close() }
        }
        return (chunks.count, openCount)
    }

    /// Closes the last chunk; call once every detail is in.
    mutating func finish() {
        if openCount > 0 { close() }
    }

    private mutating func close() {
        open.raw(UInt8(ascii: "]"))
        chunks.append(Deflater.compress(open.bytes, format: .zlib))
        open = JSONBuffer()
        openCount = 0
    }

    /// The details in a chunk, inflated again (JSON texts, in order).
    static func details(in chunk: [UInt8]) -> [UInt8]? {
        try? Inflater.inflate(chunk, format: .zlib, maxOutput: 1 << 30).get()
    }
}
