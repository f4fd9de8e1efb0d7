import Testing
@testable import HPACK

/// Bytes from hex text; spaces and newlines are ignored ("8286 8441" as the RFC prints it).
func hex(_ text: String) -> [UInt8] {
    let digits = text.compactMap { $0.hexDigitValue }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A tiny test-only HPACK encoder, to build blocks (including hostile ones) field by field.
enum Wire {
    /// RFC 7541 §5.1: `value` with a `prefixBits`-bit prefix; `flags` fills the bits above it.
    static func integer(_ value: Int, prefixBits: Int, flags: UInt8 = 0) -> [UInt8] {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return [flags | UInt8(value)] }
        var out = [flags | UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
        return out
    }

    /// RFC 7541 §5.2: length (H bit set when Huffman-coded) and octets.
    static func string(_ text: String, huffman: Bool = false) -> [UInt8] {
        let raw = bytes(text)
        guard huffman else { return integer(raw.count, prefixBits: 7) + raw }
        let coded = huffmanEncode(raw)
        return integer(coded.count, prefixBits: 7, flags: 0x80) + coded
    }

    /// Appendix B codes, most significant bit first, padded with ones (the EOS prefix).
    static func huffmanEncode(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var accumulator: UInt64 = 0
        var bits = 0
        for byte in raw {
            let (code, length) = HuffmanCode.codes[Int(byte)]
            accumulator = accumulator << UInt64(length) | UInt64(code)
            bits += Int(length)
            while bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(bits)))
            }
        }
        if bits > 0 {
            out.append(UInt8(truncatingIfNeeded: accumulator << UInt64(8 - bits)) | UInt8(0xff >> bits))
        }
        return out
    }

    /// RFC 7541 §6.1.
    static func indexed(_ index: Int) -> [UInt8] { integer(index, prefixBits: 7, flags: 0x80) }

    /// RFC 7541 §6.2.1 (0x40, 6-bit prefix), §6.2.2 (0x00, 4-bit), §6.2.3 (0x10, 4-bit) with an
    /// indexed name (`nameIndex` > 0) or a literal one (`nameIndex` 0, then `name`).
    static func literal(
        _ representation: FieldRepresentation, nameIndex: Int = 0, name: String = "", value: String,
        huffman: Bool = false
    ) -> [UInt8] {
        let (flags, prefix): (UInt8, Int) = switch representation {
        case .literalWithIncrementalIndexing: (0x40, 6)
        case .literalWithoutIndexing: (0x00, 4)
        case .literalNeverIndexed: (0x10, 4)
        case .indexed: preconditionFailure("not a literal")
        }
        var out = integer(nameIndex, prefixBits: prefix, flags: flags)
        if nameIndex == 0 { out += string(name, huffman: huffman) }
        return out + string(value, huffman: huffman)
    }

    /// RFC 7541 §6.3.
    static func sizeUpdate(_ size: Int) -> [UInt8] { integer(size, prefixBits: 5, flags: 0x20) }
}

extension HeaderBlock {
    /// Fields as (name, value) byte pairs with unknown parts empty, for compact comparisons.
    var pairs: [[String]] { fields.map { [$0.nameString, $0.valueString] } }
}

extension DynamicTable {
    var pairs: [[String]] {
        entries.map { [$0.name.map { String(decoding: $0, as: UTF8.self) } ?? "?", $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "?"] }
    }
}

/// Every span a block reports lies within the block.
func expectSpansWithin(_ block: HeaderBlock, sourceLocation: SourceLocation = #_sourceLocation) {
    let bounds = block.span
    func inside(_ span: Range<Int>) -> Bool { span.lowerBound >= bounds.lowerBound && span.upperBound <= bounds.upperBound }
    for field in block.fields { #expect(inside(field.span), "field span \(field.span) outside \(bounds)", sourceLocation: sourceLocation) }
    for update in block.sizeUpdates { #expect(inside(update.span), sourceLocation: sourceLocation) }
    for diagnostic in block.diagnostics {
        #expect(inside(diagnostic.span), "\(diagnostic) outside \(bounds)", sourceLocation: sourceLocation)
        if let index = diagnostic.fieldIndex { #expect(index < block.fields.count, sourceLocation: sourceLocation) }
    }
    if let undecoded = block.undecoded {
        #expect(inside(undecoded.span) && undecoded.span.upperBound == bounds.upperBound, sourceLocation: sourceLocation)
    }
}
