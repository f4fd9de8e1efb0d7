/// Handshake messages joined across records (RFC 8446 §5.1: a message may span records, and a
/// record may hold several messages), one assembler per direction.
struct HandshakeAssembler: Sendable {
    private var buffer: [UInt8] = []

    /// Plaintext of a handshake record; returns the complete messages (type, body). A record that
    /// holds whole messages (the usual case) is read where it is; only a message cut across
    /// records is buffered.
    mutating func append(_ fragment: ArraySlice<UInt8>) -> [(HandshakeType, ArraySlice<UInt8>)] {
        let bytes: ArraySlice<UInt8>
        if buffer.isEmpty {
            bytes = fragment
        } else {
            buffer += fragment
            bytes = buffer[...]
        }
        var messages: [(HandshakeType, ArraySlice<UInt8>)] = []
        var start = bytes.startIndex
        while bytes.endIndex - start >= 4 {
            let length = Int(bytes[start + 1]) << 16 | Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            guard bytes.endIndex - start - 4 >= length else { break }
            messages.append((HandshakeType(rawValue: bytes[start]), bytes[start + 4..<start + 4 + length]))
            start += 4 + length
        }
        buffer = Array(bytes[start...])
        return messages
    }

    /// Bytes of a message still waiting for the rest (a handshake message cut short).
    var pendingBytes: Int { buffer.count }
}

/// RFC 8446 §4.1.2 ClientHello (and TLS 1.2's, RFC 5246 §7.4.1.2): what an inspector shows.
struct ClientHello: Sendable {
    var random: [UInt8]
    var sessionID: [UInt8]
    var cipherSuites: [UInt16]
    var serverName: String?
    var alpn: [String] = []
    var supportedVersions: [UInt16] = []
    var keyShareGroups: [UInt16] = []
    var offersPSK = false
    var offersEarlyData = false
    var offersEncryptThenMAC = false
    var sessionTicket: [UInt8]?

    init?(_ body: ArraySlice<UInt8>) {
        var reader = TLSReader(body)
        guard reader.u16() != nil, let random = reader.take(32), let sessionID = reader.vector(1),
              let suites = reader.vector(2), reader.vector(1) != nil else { return nil }
        self.random = Array(random)
        self.sessionID = Array(sessionID)
        var suiteReader = TLSReader(suites)
        cipherSuites = []
        while let suite = suiteReader.u16() { cipherSuites.append(suite) }
        guard let extensions = reader.vector(2) else { return }
        for (type, data) in Extensions.parse(extensions) {
            var ext = TLSReader(data)
            switch type {
            case Extensions.serverName:
                // RFC 6066 §3: a list of (type, name); type 0 is host_name.
                var list = TLSReader(ext.vector(2) ?? [])
                while let kind = list.u8(), let name = list.vector(2) {
                    if kind == 0 { serverName = String(decoding: name, as: UTF8.self) }
                }
            case Extensions.alpn:
                alpn = Extensions.protocolNames(&ext)
            case Extensions.supportedVersions:
                var list = TLSReader(ext.vector(1) ?? [])
                while let version = list.u16() { supportedVersions.append(version) }
            case Extensions.keyShare:
                var list = TLSReader(ext.vector(2) ?? [])
                while let group = list.u16(), list.vector(2) != nil { keyShareGroups.append(group) }
            case Extensions.preSharedKey: offersPSK = true
            case Extensions.earlyData: offersEarlyData = true
            case Extensions.encryptThenMAC: offersEncryptThenMAC = true
            case Extensions.sessionTicket: sessionTicket = Array(data)
            default: break
            }
        }
    }
}

/// RFC 8446 §4.1.3 ServerHello, or a HelloRetryRequest (§4.1.4).
struct ServerHello: Sendable {
    /// RFC 8446 §4.1.3: the random of a HelloRetryRequest is SHA-256("HelloRetryRequest").
    static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    var legacyVersion: UInt16
    var random: [UInt8]
    var sessionID: [UInt8]
    var cipherSuite: UInt16
    var selectedVersion: UInt16?
    var selectedGroup: UInt16?
    var acceptedPSK = false
    var encryptThenMAC = false
    var alpn: String?

    var isHelloRetryRequest: Bool { random == Self.helloRetryRandom }
    var version: ProtocolVersion { ProtocolVersion(rawValue: selectedVersion ?? legacyVersion) }

    init?(_ body: ArraySlice<UInt8>) {
        var reader = TLSReader(body)
        guard let version = reader.u16(), let random = reader.take(32), let sessionID = reader.vector(1),
              let suite = reader.u16(), reader.u8() != nil else { return nil }
        legacyVersion = version
        self.random = Array(random)
        self.sessionID = Array(sessionID)
        cipherSuite = suite
        guard let extensions = reader.vector(2) else { return }
        for (type, data) in Extensions.parse(extensions) {
            var ext = TLSReader(data)
            switch type {
            case Extensions.supportedVersions: selectedVersion = ext.u16()
            case Extensions.keyShare: selectedGroup = ext.u16()
            case Extensions.preSharedKey: acceptedPSK = true
            case Extensions.encryptThenMAC: encryptThenMAC = true
            case Extensions.alpn: alpn = Extensions.protocolNames(&ext).first
            default: break
            }
        }
    }
}

/// RFC 8446 §4.3.1 EncryptedExtensions: the ALPN choice of TLS 1.3, and whether early data was accepted.
struct EncryptedExtensions: Sendable {
    var alpn: String?
    var acceptsEarlyData = false

    init(_ body: ArraySlice<UInt8>) {
        var reader = TLSReader(body)
        for (type, data) in Extensions.parse(reader.vector(2) ?? []) {
            var ext = TLSReader(data)
            if type == Extensions.alpn { alpn = Extensions.protocolNames(&ext).first }
            if type == Extensions.earlyData { acceptsEarlyData = true }
        }
    }
}

/// Extension numbers (IANA "TLS ExtensionType Values") and the list reader.
enum Extensions {
    static let serverName: UInt16 = 0
    static let alpn: UInt16 = 16
    static let encryptThenMAC: UInt16 = 22
    static let sessionTicket: UInt16 = 35
    static let preSharedKey: UInt16 = 41
    static let earlyData: UInt16 = 42
    static let supportedVersions: UInt16 = 43
    static let keyShare: UInt16 = 51

    static func parse(_ bytes: ArraySlice<UInt8>) -> [(UInt16, ArraySlice<UInt8>)] {
        var reader = TLSReader(bytes)
        var result: [(UInt16, ArraySlice<UInt8>)] = []
        while let type = reader.u16(), let data = reader.vector(2) { result.append((type, data)) }
        return result
    }

    /// RFC 7301 §3.1: ProtocolNameList.
    static func protocolNames(_ reader: inout TLSReader) -> [String] {
        var list = TLSReader(reader.vector(2) ?? [])
        var names: [String] = []
        while let name = list.vector(1) { names.append(String(decoding: name, as: UTF8.self)) }
        return names
    }
}
