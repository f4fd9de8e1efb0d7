/// Maps 32-bit TCP sequence numbers (RFC 9293 §3.4, arithmetic modulo 2^32) to 64-bit offsets in
/// one direction's byte stream, so that streams longer than 4 GiB and sequence numbers wrapping
/// past 2^32 need no special cases.
struct SequenceSpace: Sendable {
    /// The sequence number of stream offset 0 (the ISN + 1 when the SYN was seen).
    let base: UInt32

    /// The offset congruent to `sequence` modulo 2^32 that is nearest to `reference`.
    func offset(of sequence: UInt32, near reference: Int64) -> Int64 {
        let relative = Int64(sequence &- base)
        let epoch = reference & ~0xFFFF_FFFF
        var candidate = epoch | relative
        if candidate - reference > 1 << 31 { candidate -= 1 << 32 }
        if reference - candidate > 1 << 31 { candidate += 1 << 32 }
        return candidate
    }
}
