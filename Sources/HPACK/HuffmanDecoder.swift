/// Table-driven decoder for the HPACK Huffman code (RFC 7541 §5.2, Appendix B), four bits at a time.
///
/// The code tree has 257 leaves and so 256 internal nodes; each internal node is a decoder state
/// (the root is state 0, "at a symbol boundary"). For every state and every 4-bit nibble, a
/// precomputed transition gives the next state and the symbol emitted on the way, if any. The
/// shortest code is 5 bits long, so one nibble completes at most one symbol. The tables (16 KiB)
/// are built from `HuffmanCode` once, at first use.
///
/// RFC 7541 §5.2 rules enforced here:
/// - the EOS symbol must never appear in the string;
/// - padding (the bits after the last symbol) must be a prefix of EOS, i.e. all ones;
/// - padding longer than 7 bits is an error.
struct HuffmanDecoder: Sendable {
    enum Failure: Equatable, Sendable {
        /// EOS was decoded; `octet` is the index (within the string) of the octet completing it.
        case eos(octet: Int)
        /// The string ends with `bits` (8...29) one-bits that are not a whole symbol.
        case paddingTooLong(bits: Int)
        /// The string ends inside a symbol whose remaining bits are not all ones.
        case paddingNotOnes
    }

    static let shared = HuffmanDecoder()

    /// Per transition: bits 0-7 next state, 8-15 emitted symbol, bit 16 "emits", bit 17 "EOS".
    private let transitions: [UInt32]
    /// Per state: its depth if it lies on the all-ones path from the root (a valid padding
    /// prefix), else `notOnes`.
    private let onesDepth: [UInt8]
    private static let notOnes: UInt8 = 0xff
    private static let emits: UInt32 = 1 << 16
    private static let hitsEOS: UInt32 = 1 << 17

    private init() {
        // Build the code tree. A child is an internal node id (> 0; the root, 0, is never a child),
        // a leaf -(symbol + 1), or 0 while unset.
        var children: [(Int, Int)] = [(0, 0)]
        for (symbol, entry) in HuffmanCode.codes.enumerated() {
            var node = 0
            for bitIndex in stride(from: Int(entry.length) - 1, through: 0, by: -1) {
                let bit = (entry.code >> UInt32(bitIndex)) & 1
                var child = bit == 0 ? children[node].0 : children[node].1
                if bitIndex == 0 {
                    child = -(symbol + 1)
                } else if child == 0 {
                    children.append((0, 0))
                    child = children.count - 1
                }
                if bit == 0 { children[node].0 = child } else { children[node].1 = child }
                node = child
            }
        }
        precondition(children.count == 256, "HPACK Huffman code must have 256 internal nodes")

        var onesDepth = [UInt8](repeating: Self.notOnes, count: 256)
        var node = 0
        var depth: UInt8 = 0
        while node >= 0 {
            onesDepth[node] = depth
            node = children[node].1
            depth += 1
        }

        var transitions = [UInt32](repeating: 0, count: 256 * 16)
        for state in 0..<256 {
            for nibble in 0..<16 {
                var node = state
                var flags: UInt32 = 0
                var symbol: UInt32 = 0
                for bitIndex in stride(from: 3, through: 0, by: -1) {
                    let child = (nibble >> bitIndex) & 1 == 0 ? children[node].0 : children[node].1
                    if child >= 0 {
                        node = child
                    } else if -child - 1 == HuffmanCode.eos {
                        flags |= Self.hitsEOS
                        break
                    } else {
                        symbol = UInt32(-child - 1)
                        flags |= Self.emits
                        node = 0
                    }
                }
                transitions[state << 4 | nibble] = UInt32(node) | symbol << 8 | flags
            }
        }
        self.transitions = transitions
        self.onesDepth = onesDepth
    }

    /// Decodes `input`, appending the octets to `output`. On failure, `output` holds the symbols
    /// decoded before the problem (for EOS) or all of them (for bad padding).
    func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Failure? {
        // At most 8/5 symbols per input octet (the shortest code has 5 bits).
        output.reserveCapacity(output.count + input.count * 8 / 5 + 1)
        return transitions.withUnsafeBufferPointer { table in
            var state = 0
            for position in 0..<input.count {
                let octet = Int(input[position])
                var shift = 4
                while shift >= 0 {
                    let transition = table[state << 4 | (octet >> shift) & 0x0f]
                    shift -= 4
                    // RFC 7541 §5.2: a string containing EOS is a decoding error.
                    if transition & Self.hitsEOS != 0 { return .eos(octet: position) }
                    if transition & Self.emits != 0 { output.append(UInt8(truncatingIfNeeded: transition >> 8)) }
                    state = Int(transition & 0xff)
                }
            }
            let depth = onesDepth[state]
            // RFC 7541 §5.2: padding not corresponding to the most significant bits of EOS is an error.
            if depth == Self.notOnes { return .paddingNotOnes }
            // RFC 7541 §5.2: padding strictly longer than 7 bits is an error.
            if depth > 7 { return .paddingTooLong(bits: Int(depth)) }
            return nil
        }
    }
}
