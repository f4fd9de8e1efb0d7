import HTTPExchange

/// An HTTP/1.x message head (RFC 9112 §2.1): the start line and the header fields, up to the
/// empty line.
struct MessageHead: Sendable {
    /// Request: method, target, version. Response: version, status code, reason.
    var startLine: [String]
    /// Field names lower-cased (RFC 9110 §5.1: case-insensitive), in order.
    var fields: [(name: String, value: String)]
    /// Bytes of the head, the empty line included.
    var length: Int

    /// RFC 9112 §5: limits a head to a size an inspector can hold; past it the stream is not HTTP.
    static let maxLength = 64 << 10

    enum Parse {
        case needMoreBytes
        case head(MessageHead)
        case malformed(String)
    }

    /// A head at the start of `bytes`.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Parse {
        guard let end = endOfHead(bytes) else {
            return bytes.count > maxLength ? .malformed("no end of the message head in \(maxLength) bytes") : .needMoreBytes
        }
        let text = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { return .malformed("an empty start line") }
        let start = first.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        guard start.count >= 2 else { return .malformed("start line \"\(first.prefix(80))\" is not HTTP") }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            // RFC 9112 §5.2: obsolete line folding continues the previous field's value.
            if let character = line.first, character == " " || character == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmed
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { return .malformed("header line \"\(line.prefix(80))\" has no colon") }
            fields.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...]).trimmed))
        }
        return .head(MessageHead(startLine: start, fields: fields, length: end + 4 - bytes.startIndex))
    }

    func field(_ name: String) -> String? { fields.last { $0.name == name }?.value }

    /// Comma-separated values of a field, lower-cased (Transfer-Encoding, Connection).
    func tokens(_ name: String) -> [String] {
        fields.filter { $0.name == name }.flatMap { $0.value.lowercased().split(separator: ",").map { String($0).trimmed } }
    }

    private static func endOfHead(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A { return index }
            index += 1
        }
        return nil
    }
}

extension String {
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
