import CZlib

/// One-shot deflate compression in zlib (RFC 1950, gRPC's `deflate`), gzip (RFC 1952, gRPC's
/// `gzip`) or raw (RFC 1951) framing. Used by tests and by anything that needs to produce
/// compressed gRPC messages.
public enum Deflater {
    public enum Format: Sendable, Hashable {
        case zlib
        case gzip
        case raw

        var windowBits: Int32 {
            switch self {
            case .zlib: return 15
            case .gzip: return 16 + 15
            case .raw: return -15
            }
        }
    }

    /// Compresses `bytes` completely. `level` is zlib's 0 (store) ... 9 (best), or -1 for zlib's
    /// default (6); out-of-range values are clamped. A gzip header carries no name and mtime 0,
    /// so the output is deterministic.
    ///
    /// zlib can only fail here when memory runs out, which is treated like any allocation failure.
    public static func compress(_ bytes: some Collection<UInt8>, format: Format = .zlib, level: Int = -1) -> [UInt8] {
        let input = Array(bytes)
        let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        defer {
            deflateEnd(strm)
            strm.deinitialize(count: 1)
            strm.deallocate()
        }
        let status = czlib_deflateInit2(strm, Int32(min(max(level, -1), 9)), format.windowBits)
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")

        var output = [UInt8](repeating: 0, count: Int(deflateBound(strm, uLong(input.count))) + 64)
        var produced = 0
        input.withUnsafeBufferPointer { source in
            var fed = 0
            while true {
                if strm.pointee.avail_in == 0 && fed < source.count {
                    let piece = min(source.count - fed, 1 << 30)
                    strm.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + fed)
                    strm.pointee.avail_in = UInt32(piece)
                    fed += piece
                }
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: 64 << 10)) }
                let room = min(output.count - produced, 1 << 30)
                let code = output.withUnsafeMutableBufferPointer { buffer in
                    strm.pointee.next_out = buffer.baseAddress! + produced
                    strm.pointee.avail_out = UInt32(room)
                    let flush = fed == source.count ? Z_FINISH : Z_NO_FLUSH
                    return deflate(strm, flush)
                }
                produced += room - Int(strm.pointee.avail_out)
                if code == Z_STREAM_END { break }
                precondition(code == Z_OK || code == Z_BUF_ERROR, "deflate failed with \(code)")
            }
        }
        // A copy of exactly the compressed size: the working buffer has room for the worst case
        // (deflateBound, about the input's size), which a kept result must not hold on to.
        return Array(output[..<produced])
    }
}
