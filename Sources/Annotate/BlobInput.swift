import GRPC
import WireCore

/// One blob given to `grpcdump annotate`: raw bytes, or text holding them as hex (bare, with
/// spaces, `0x`, `\x`, colons or commas, or pasted `xxd` / `hexdump -C` output) or base64 (RFC 4648
/// §4 or the URL-safe §5 alphabet, padded or not).
public enum BlobFormat: String, Sendable, CaseIterable {
    case auto, binary, hex, base64
}

public struct BlobInputError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

public enum BlobInput {
    /// The bytes `input` holds, and the format they were read as.
    public static func decode(_ input: [UInt8], format: BlobFormat) -> Result<(bytes: [UInt8], format: BlobFormat), BlobInputError> {
        switch format {
        case .binary:
            return .success((input, .binary))
        case .hex:
            return hex(input).map { .success(($0, .hex)) } ?? .failure(BlobInputError(description: "not hex: \(hexProblem(input))"))
        case .base64:
            return base64(input).map { .success(($0, .base64)) } ?? .failure(BlobInputError(description: "not base64: \(base64Problem(input))"))
        case .auto:
            // Text that reads as hex is hex ("0a05" is also base64, but a person pasting it means hex);
            // other text that reads as base64 is base64; anything else is the bytes themselves.
            if let bytes = hex(input) { return .success((bytes, .hex)) }
            if let bytes = base64(input) { return .success((bytes, .base64)) }
            return .success((input, .binary))
        }
    }

    static func text(_ input: [UInt8]) -> String? {
        guard !input.isEmpty, let text = String(validating: input, as: UTF8.self) else { return nil }
        return text
    }

    // MARK: hex

    /// Hex digits of every line, after removing what dumps add around them: a leading offset
    /// (`00000010:` or `00000010 `), `hexdump -C`'s `|ascii|` column and xxd's two-space ASCII
    /// column; `0x` and `\x` prefixes, colons, commas and whitespace between bytes.
    static func hex(_ input: [UInt8]) -> [UInt8]? {
        guard let text = text(input) else { return nil }
        var digits: [UInt8] = []
        let lines = text.split(whereSeparator: \.isNewline)
        let dump = lines.contains(where: isDumpLine) && lines.allSatisfy { isDumpLine($0) || $0.allSatisfy(\.isHexDigit) && $0.count >= 7 }
        for line in lines {
            var body = Substring(line)
            if dump {
                body = body.drop { !$0.isWhitespace && $0 != ":" }.dropFirst()  // the offset
                if let bar = body.firstIndex(of: "|") { body = body[..<bar] }
                if isXXD(line), let ascii = firstDoubleSpace(body) { body = body[..<ascii] }
            }
            var scalars = Array(body.utf8)[...]
            while let byte = scalars.first {
                if byte == UInt8(ascii: "0") || byte == UInt8(ascii: "\\"), scalars.count >= 2, scalars[scalars.startIndex + 1] | 0x20 == UInt8(ascii: "x") {
                    scalars = scalars.dropFirst(2)
                    continue
                }
                if let value = digit(byte) {
                    digits.append(value)
                } else if !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\r")) {
                    return nil
                }
                scalars = scalars.dropFirst()
            }
        }
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// `00000000: 0a05 6865 6c6c 6f              ..hello` (xxd) or
    /// `00000000  0a 05 68 65 6c 6c 6f                              |..hello|` (hexdump -C; its
    /// final line, holding only the length, is accepted beside such lines).
    static func isDumpLine(_ line: Substring) -> Bool {
        let offset = line.prefix { $0.isHexDigit }
        guard offset.count >= 4 else { return false }
        let rest = line.dropFirst(offset.count)
        return rest.hasPrefix(": ") || rest.hasPrefix("  ")
    }

    /// Where xxd's ASCII column starts: the first two spaces in a row after the hex groups.
    static func firstDoubleSpace(_ text: Substring) -> Substring.Index? {
        var previous: Character?
        for index in text.indices {
            if text[index] == " ", previous == " " { return text.index(before: index) }
            previous = text[index]
        }
        return nil
    }

    static func isXXD(_ line: Substring) -> Bool {
        line.prefix { $0.isHexDigit }.count >= 4 && line.dropFirst(line.prefix { $0.isHexDigit }.count).hasPrefix(": ")
    }

    static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hexProblem(_ input: [UInt8]) -> String {
        guard let text = text(input) else { return "the input is not text" }
        let digits = text.filter(\.isHexDigit).count
        if let bad = text.firstIndex(where: { !$0.isHexDigit && !" \t\r\n:,xX\\".contains($0) }) {
            return "character \(text.distance(from: text.startIndex, to: bad)) is '\(text[bad])'"
        }
        return digits % 2 == 1 ? "an odd number of hex digits (\(digits))" : "no hex digits"
    }

    // MARK: base64

    static func base64(_ input: [UInt8]) -> [UInt8]? {
        guard let text = text(input) else { return nil }
        let compact = String(text.filter { !$0.isWhitespace })
        guard !compact.isEmpty, case let .success(bytes) = Base64.decode(compact), !bytes.isEmpty else { return nil }
        return bytes
    }

    static func base64Problem(_ input: [UInt8]) -> String {
        guard let text = text(input) else { return "the input is not text" }
        let compact = String(text.filter { !$0.isWhitespace })
        if case let .failure(error) = Base64.decode(compact) { return "character \(error.offset) (whitespace removed)" }
        return "empty"
    }
}
