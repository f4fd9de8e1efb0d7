import CZlib

/// Owns one heap-allocated `z_stream`. zlib's state points back at its `z_stream`, so the stream
/// must never move: it lives behind a pointer in a class, and `Inflater` copies it on write with
/// `inflateCopy` to keep value semantics.
final class InflateStream: @unchecked Sendable {
    // @unchecked: the stream is only touched through `Inflater`, which copies this box before
    // mutating whenever it is shared (`isKnownUniquelyReferenced`), so no two owners mutate it.
    let pointer: UnsafeMutablePointer<z_stream>
    /// zlib's return code from initialisation or copying; `Z_OK` when usable.
    let status: Int32
    /// Where zlib writes output before it is appended to the caller's array (not part of the
    /// stream's state, so copies get a fresh one).
    let scratch: UnsafeMutableBufferPointer<UInt8>
    static let scratchSize = 32 << 10

    init(windowBits: Int32) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        status = czlib_inflateInit2(pointer, windowBits)
        scratch = .allocate(capacity: Self.scratchSize)
    }

    /// A deep copy of `other`'s state (window, bit buffer, totals).
    init(copying other: InflateStream) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        status = other.status == Z_OK ? inflateCopy(pointer, other.pointer) : other.status
        scratch = .allocate(capacity: Self.scratchSize)
    }

    deinit {
        if status == Z_OK { inflateEnd(pointer) }
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        scratch.deallocate()
    }

    var totalIn: Int { Int(pointer.pointee.total_in) }
    var totalOut: Int { Int(pointer.pointee.total_out) }

    /// zlib's last message, or a fallback.
    var message: String {
        guard let msg = pointer.pointee.msg else { return "no message" }
        return String(cString: msg)
    }
}
