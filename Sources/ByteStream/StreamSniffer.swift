/// Recognises what the first bytes of a client's stream are: the HTTP/2 preface, a TLS
/// handshake, or an HTTP/1.x request (and whether it asks to upgrade to h2c). Byte patterns only:
/// the layers that speak these protocols live in their own modules.
public enum StreamSniffer {
    /// RFC 9113 §3.4: the client connection preface.
    public static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    public enum Verdict: Equatable, Sendable {
        case needMoreBytes
        case http2Preface
        case tls
        /// A complete HTTP/1.x request head of `length` bytes (body excluded: `bodyLength` more).
        case http1Request(length: Int, bodyLength: Int, upgradeH2C: Bool)
        case other
    }

    public static func sniffClient(_ bytes: ArraySlice<UInt8>) -> Verdict {
        let head = bytes.prefix(http2Preface.count)
        if head.elementsEqual(http2Preface.prefix(head.count)) { return head.count == http2Preface.count ? .http2Preface : .needMoreBytes }
        // TLS record: ContentType handshake (22), version 3.x (RFC 8446 §5.1).
        if bytes.count >= 3, bytes.first == 0x16, bytes[bytes.startIndex + 1] == 0x03, bytes[bytes.startIndex + 2] <= 0x04 { return .tls }
        if bytes.count < 3 { return .needMoreBytes }
        guard isHTTP1RequestStart(bytes) else { return .other }
        guard let (length, headers) = httpHead(bytes) else { return bytes.count > 64 << 10 ? .other : .needMoreBytes }
        let upgrade = headers["upgrade"]?.lowercased().split(separator: ",").contains { $0.trimmingSpaces() == "h2c" } ?? false
        return .http1Request(length: length, bodyLength: Int(headers["content-length"] ?? "") ?? 0, upgradeH2C: upgrade)
    }

    /// A server's `HTTP/1.1 101` response head: its length, or `nil` if incomplete or not a 101.
    public enum ResponseVerdict: Equatable, Sendable { case needMoreBytes, switchingProtocols(length: Int), other }

    public static func sniffServerUpgrade(_ bytes: ArraySlice<UInt8>) -> ResponseVerdict {
        guard let (length, _) = httpHead(bytes) else {
            return bytes.count > 64 << 10 || (bytes.count >= 5 && !bytes.starts(with: Array("HTTP/".utf8))) ? .other : .needMoreBytes
        }
        let statusLine = bytes.prefix { $0 != 0x0D }
        let words = statusLine.split(separator: 0x20)
        return words.count >= 2 && words[1].elementsEqual("101".utf8) ? .switchingProtocols(length: length) : .other
    }

    /// Whether `bytes` begin with whole TLS records (RFC 8446 §5.1: content type 20–23, version
    /// 3.x, a length of at most 2^14 + 2048), chained to the next header or to the end of the
    /// bytes: a TLS connection seen after its handshake. `nil`: too few bytes to tell.
    public static func startsWithTLSRecords(_ bytes: ArraySlice<UInt8>) -> Bool? {
        var index = bytes.startIndex
        var records = 0
        while index + 5 <= bytes.endIndex {
            let type = bytes[index], major = bytes[index + 1], minor = bytes[index + 2]
            let length = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
            guard (20...23).contains(type), major == 3, minor <= 4, length <= (1 << 14) + 2048 else { return false }
            guard index + 5 + length <= bytes.endIndex else { break }
            index += 5 + length
            records += 1
        }
        return records > 0 ? true : nil
    }

    /// What the first bytes of a direction say about its sender's role: the HTTP/2 client preface
    /// (at least its first 8 bytes) is sent only by a client.
    public static func clientEvidence(_ firstBytes: ArraySlice<UInt8>) -> ClientEvidence? {
        firstBytes.count >= 8 && firstBytes.prefix(http2Preface.count).elementsEqual(http2Preface.prefix(firstBytes.count)) ? .http2Preface : nil
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
    package func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
