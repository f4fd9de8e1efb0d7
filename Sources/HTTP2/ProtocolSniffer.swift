/// Recognises what the first bytes of a client's stream are: the HTTP/2 preface, a TLS
/// handshake, or an HTTP/1.x request (and whether it asks to upgrade to h2c).
enum ProtocolSniffer {
    /// RFC 9113 §3.4.
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Verdict: Equatable {
        case needMoreBytes
        case http2Preface
        case tls
        /// A complete HTTP/1.x request head of `length` bytes (body excluded: `bodyLength` more).
        case http1Request(length: Int, bodyLength: Int, upgradeH2C: Bool)
        case other
    }

    static func sniffClient(_ bytes: ArraySlice<UInt8>) -> Verdict {
        let head = bytes.prefix(preface.count)
        if head.elementsEqual(preface.prefix(head.count)) { return head.count == preface.count ? .http2Preface : .needMoreBytes }
        // TLS record: ContentType handshake (22), version 3.x (RFC 8446 §5.1).
        if bytes.count >= 3, bytes.first == 0x16, bytes[bytes.startIndex + 1] == 0x03, bytes[bytes.startIndex + 2] <= 0x04 { return .tls }
        if bytes.count < 3 { return .needMoreBytes }
        guard isHTTP1RequestStart(bytes) else { return .other }
        guard let (length, headers) = httpHead(bytes) else { return bytes.count > 64 << 10 ? .other : .needMoreBytes }
        let upgrade = headers["upgrade"]?.lowercased().split(separator: ",").contains { $0.trimmingSpaces() == "h2c" } ?? false
        return .http1Request(length: length, bodyLength: Int(headers["content-length"] ?? "") ?? 0, upgradeH2C: upgrade)
    }

    /// A server's `HTTP/1.1 101` response head: its length, or `nil` if incomplete or not a 101.
    enum ResponseVerdict: Equatable { case needMoreBytes, switchingProtocols(length: Int), other }

    static func sniffServerUpgrade(_ bytes: ArraySlice<UInt8>) -> ResponseVerdict {
        guard let (length, _) = httpHead(bytes) else {
            return bytes.count > 64 << 10 || (bytes.count >= 5 && !bytes.starts(with: Array("HTTP/".utf8))) ? .other : .needMoreBytes
        }
        let statusLine = bytes.prefix { $0 != 0x0D }
        let words = statusLine.split(separator: 0x20)
        return words.count >= 2 && words[1].elementsEqual("101".utf8) ? .switchingProtocols(length: length) : .other
    }

    private static func isHTTP1RequestStart(_ bytes: ArraySlice<UInt8>) -> Bool {
        let methods = ["GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "]
        return methods.contains { method in
            let m = Array(method.utf8)
            let n = min(m.count, bytes.count)
            return bytes.prefix(n).elementsEqual(m.prefix(n))
        }
    }

    /// The length of an HTTP/1 message head (through the blank line) and its header fields, lower-cased names.
    private static func httpHead(_ bytes: ArraySlice<UInt8>) -> (Int, [String: String])? {
        let crlfcrlf: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            if bytes[index..<(index + 4)].elementsEqual(crlfcrlf) {
                let head = String(decoding: bytes[bytes.startIndex..<index], as: UTF8.self)
                var fields: [String: String] = [:]
                for line in head.split(separator: "\r\n").dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingSpaces()
                }
                return (index + 4 - bytes.startIndex, fields)
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
