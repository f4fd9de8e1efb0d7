/// gRPC-Web's trailers frame (gRPC doc "PROTOCOL-WEB.md": a frame with flag 0x80 whose payload is
/// trailers as HTTP/1 header lines, `name: value` separated by CRLF; names lower-cased here).
enum GRPCWebTrailers {
    static func parse(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }).compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            return name.isEmpty ? nil : (name, value)
        }
    }
}

extension StringProtocol {
    /// The text without the given characters at either end.
    func trimmingCharacters(in characters: String) -> String {
        String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}

/// gRPC-Web text (`application/grpc-web-text`): the body is base64 (RFC 4648 §4), possibly as
/// several padded chunks one after the other; decoded as it arrives, four characters at a time.
struct Base64Body: Sendable {
    private var quad: [UInt8] = []
    /// Characters that were not base64, for one warning.
    private(set) var invalidCharacters = 0

    mutating func decode(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        for character in text {
            if character == 0x0D || character == 0x0A || character == 0x20 { continue }
            guard character == UInt8(ascii: "=") || Self.value(character) != nil else {
                invalidCharacters += 1
                continue
            }
            quad.append(character)
            guard quad.count == 4 else { continue }
            let values = quad.map { Self.value($0) ?? 0 }
            let padding = quad.suffix(2).filter { $0 == UInt8(ascii: "=") }.count
            let bits = values.reduce(UInt32(0)) { $0 << 6 | UInt32($1) }
            let decoded = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
            out += decoded.prefix(3 - padding)
            quad.removeAll(keepingCapacity: true)
        }
        return out
    }

    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
