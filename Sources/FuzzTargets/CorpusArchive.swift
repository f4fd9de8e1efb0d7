import Zlib

/// A fuzz corpus kept as one file: each input as a 32-bit big-endian length and its bytes,
/// the whole gzip-compressed (Tests/FuzzCorpusTests/Corpus/TARGET.corpus.gz). A thousand small
/// files would weigh more in the repository than their bytes.
public enum CorpusArchive {
    /// The longest archive read back (inflated).
    static let maxBytes = 64 << 20

    public static func pack(_ inputs: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for input in inputs {
            let count = UInt32(input.count)
            bytes += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
            bytes += input
        }
        return Deflater.compress(bytes, format: .gzip, level: 9)
    }

    /// The inputs, or nil when the archive is not one.
    public static func unpack(_ archive: [UInt8]) -> [[UInt8]]? {
        guard case let .success(bytes) = Inflater.inflate(archive, format: .gzip, maxOutput: maxBytes) else { return nil }
        var inputs: [[UInt8]] = [], position = 0
        while position < bytes.count {
            guard position + 4 <= bytes.count else { return nil }
            let count = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
            position += 4
            guard position + count <= bytes.count else { return nil }
            inputs.append(Array(bytes[position..<position + count]))
            position += count
        }
        return inputs
    }
}
