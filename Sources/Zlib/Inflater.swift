import CZlib

/// A streaming zlib/gzip/raw-deflate decompressor with a bounded output, as a value type.
///
/// gRPC names its message encodings after HTTP's: `grpc-encoding: deflate` is the zlib format
/// (RFC 1950: 2-byte header, raw deflate, Adler-32), `grpc-encoding: gzip` is RFC 1952 (10-byte
/// header, raw deflate, CRC-32 and length). `.auto` accepts either by looking at the header.
/// `.raw` is bare RFC 1951 deflate, which gRPC never sends but some peers do by mistake.
///
/// Only one compressed stream is decoded: bytes after its end (such as a second concatenated gzip
/// member, RFC 1952 §2.2) are reported as `InflateError.trailingData`, never silently dropped.
///
/// Feed bytes with `append(_:into:)` as they arrive, then call `finish()` to learn whether the
/// stream was complete. Errors are values; output produced before an error is kept in the
/// caller's buffer, so an inspector can still show the readable prefix of a damaged message.
public struct Inflater: Sendable {
    public enum Format: Sendable, Hashable {
        /// RFC 1950, gRPC's `deflate`.
        case zlib
        /// RFC 1952, gRPC's `gzip`.
        case gzip
        /// RFC 1951 without any header or trailer.
        case raw
        /// zlib or gzip, chosen from the header (zlib's windowBits 32 + 15).
        case auto

        var windowBits: Int32 {
            switch self {
            case .zlib: return 15
            case .gzip: return 16 + 15
            case .raw: return -15
            case .auto: return 32 + 15
            }
        }
    }

    private enum State: Sendable, Hashable {
        case running
        case finished
        case failed(InflateError)
    }

    public let format: Format
    /// The most output bytes this inflater produces in total; beyond it, `.outputLimitExceeded`.
    public let maxOutput: Int
    private var stream: InflateStream
    private var state: State

    /// - Parameter maxOutput: cap on the total decompressed size, against decompression bombs.
    public init(format: Format = .auto, maxOutput: Int = 64 << 20) {
        self.format = format
        self.maxOutput = max(0, maxOutput)
        self.stream = InflateStream(windowBits: format.windowBits)
        self.state = .running
        if stream.status != Z_OK {
            state = .failed(.zlibFailure(code: stream.status, message: "inflateInit2 failed", inputOffset: 0))
        }
    }

    /// Compressed bytes consumed so far.
    public var totalIn: Int { stream.status == Z_OK ? stream.totalIn : 0 }
    /// Decompressed bytes produced so far.
    public var totalOut: Int { stream.status == Z_OK ? stream.totalOut : 0 }
    /// Whether the end of the compressed stream (and its trailer) has been read.
    public var isFinished: Bool { state == .finished }
    /// The error that stopped this inflater, if any; every later call returns it again.
    public var error: InflateError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Decompresses `bytes`, appending the output to `output`. Returns `nil` when all of `bytes` was
    /// consumed (the stream may need more), or the error that stopped decoding; output decoded
    /// before the error stays in `output`.
    public mutating func append(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) -> InflateError? {
        switch state {
        case .failed(let error):
            return error
        case .finished:
            if bytes.isEmpty { return nil }
            return fail(.trailingData(inputOffset: stream.totalIn))
        case .running:
            break
        }
        if !isKnownUniquelyReferenced(&stream) {
            stream = InflateStream(copying: stream)
            if stream.status != Z_OK {
                return fail(.zlibFailure(code: stream.status, message: "inflateCopy failed", inputOffset: 0))
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable({ run($0, into: &output) }) {
            return result
        }
        return Array(bytes).withUnsafeBufferPointer { run($0, into: &output) }
    }

    /// Call after the last `append`: `nil` if the stream ended properly, else why not.
    public mutating func finish() -> InflateError? {
        switch state {
        case .finished: return nil
        case .failed(let error): return error
        case .running: return fail(.truncated(inputOffset: stream.totalIn))
        }
    }

    /// One-shot decompression of a complete stream, refusing more than `maxOutput` bytes of output.
    public static func inflate(
        _ bytes: some Collection<UInt8>, format: Format = .auto, maxOutput: Int = 64 << 20
    ) -> Result<[UInt8], InflateError> {
        var inflater = Inflater(format: format, maxOutput: maxOutput)
        var output: [UInt8] = []
        if let error = inflater.append(bytes, into: &output) ?? inflater.finish() {
            return .failure(error)
        }
        return .success(output)
    }

    private mutating func fail(_ error: InflateError) -> InflateError {
        state = .failed(error)
        return error
    }

    /// zlib counts available input in `UInt32`, so larger inputs are fed in pieces.
    private static let maxInputPiece = 1 << 30

    private mutating func run(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> InflateError? {
        let strm = stream.pointer
        var fed = 0
        var outputPending = false
        while true {
            if strm.pointee.avail_in == 0 && !outputPending {
                guard fed < input.count else { return nil }
                let piece = min(input.count - fed, Self.maxInputPiece)
                strm.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + fed)
                strm.pointee.avail_in = UInt32(piece)
                fed += piece
            }
            // One byte beyond the remaining budget, so that exceeding the cap is observable.
            let budget = maxOutput - stream.totalOut
            let room = budget < InflateStream.scratchSize ? budget + 1 : InflateStream.scratchSize
            strm.pointee.next_out = stream.scratch.baseAddress
            strm.pointee.avail_out = UInt32(room)
            let code = CZlib.inflate(strm, Z_NO_FLUSH)
            let unused = Int(strm.pointee.avail_out)
            let produced = room - unused
            // A full output buffer means zlib may hold more output for the same input.
            outputPending = unused == 0
            if stream.totalOut > maxOutput {
                output.append(contentsOf: stream.scratch[..<(produced - (stream.totalOut - maxOutput))])
                return fail(.outputLimitExceeded(limit: maxOutput, inputOffset: stream.totalIn))
            }
            output.append(contentsOf: stream.scratch[..<produced])
            switch code {
            case Z_STREAM_END:
                state = .finished
                if strm.pointee.avail_in > 0 || fed < input.count {
                    return fail(.trailingData(inputOffset: stream.totalIn))
                }
                return nil
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR only means "no progress possible"; with room left in the output
                // that is "needs more input", which the top of the loop handles.
                if code == Z_BUF_ERROR && strm.pointee.avail_in > 0 && unused > 0 {
                    return fail(.zlibFailure(code: code, message: stream.message, inputOffset: stream.totalIn))
                }
                continue
            case Z_NEED_DICT:
                return fail(.needsDictionary(inputOffset: stream.totalIn))
            case Z_DATA_ERROR:
                return fail(.corrupt(message: stream.message, inputOffset: stream.totalIn))
            default:
                return fail(.zlibFailure(code: code, message: stream.message, inputOffset: stream.totalIn))
            }
        }
    }
}
