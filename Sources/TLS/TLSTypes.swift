import WireCore

extension Layer {
    public static let tls = Layer(rawValue: "tls")
}

/// RFC 8446 §5.1 ContentType (RFC 5246 §6.2.1 for TLS 1.2). An open registry.
public struct ContentType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let changeCipherSpec = ContentType(rawValue: 20)
    public static let alert = ContentType(rawValue: 21)
    public static let handshake = ContentType(rawValue: 22)
    public static let applicationData = ContentType(rawValue: 23)
    public static let heartbeat = ContentType(rawValue: 24)

    public var description: String {
        switch self {
        case .changeCipherSpec: "change_cipher_spec"
        case .alert: "alert"
        case .handshake: "handshake"
        case .applicationData: "application_data"
        case .heartbeat: "heartbeat"
        default: "content type \(rawValue)"
        }
    }
}

/// RFC 8446 §4.2.1 ProtocolVersion.
public struct ProtocolVersion: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let tls10 = ProtocolVersion(rawValue: 0x0301)
    public static let tls11 = ProtocolVersion(rawValue: 0x0302)
    public static let tls12 = ProtocolVersion(rawValue: 0x0303)
    public static let tls13 = ProtocolVersion(rawValue: 0x0304)

    public var description: String {
        switch rawValue {
        case 0x0300: "SSL 3.0"
        case 0x0301...0x0304: "TLS 1.\(rawValue - 0x0301)"
        default: "version 0x" + String(rawValue, radix: 16)
        }
    }
}

/// RFC 8446 §4 HandshakeType (with TLS 1.2's, RFC 5246 §7.4).
public struct HandshakeType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let helloRequest = HandshakeType(rawValue: 0)
    public static let clientHello = HandshakeType(rawValue: 1)
    public static let serverHello = HandshakeType(rawValue: 2)
    public static let newSessionTicket = HandshakeType(rawValue: 4)
    public static let endOfEarlyData = HandshakeType(rawValue: 5)
    public static let encryptedExtensions = HandshakeType(rawValue: 8)
    public static let certificate = HandshakeType(rawValue: 11)
    public static let serverKeyExchange = HandshakeType(rawValue: 12)
    public static let certificateRequest = HandshakeType(rawValue: 13)
    public static let serverHelloDone = HandshakeType(rawValue: 14)
    public static let certificateVerify = HandshakeType(rawValue: 15)
    public static let clientKeyExchange = HandshakeType(rawValue: 16)
    public static let finished = HandshakeType(rawValue: 20)
    public static let certificateStatus = HandshakeType(rawValue: 22)
    public static let keyUpdate = HandshakeType(rawValue: 24)

    public var description: String {
        switch self {
        case .helloRequest: "HelloRequest"
        case .clientHello: "ClientHello"
        case .serverHello: "ServerHello"
        case .newSessionTicket: "NewSessionTicket"
        case .endOfEarlyData: "EndOfEarlyData"
        case .encryptedExtensions: "EncryptedExtensions"
        case .certificate: "Certificate"
        case .serverKeyExchange: "ServerKeyExchange"
        case .certificateRequest: "CertificateRequest"
        case .serverHelloDone: "ServerHelloDone"
        case .certificateVerify: "CertificateVerify"
        case .clientKeyExchange: "ClientKeyExchange"
        case .finished: "Finished"
        case .certificateStatus: "CertificateStatus"
        case .keyUpdate: "KeyUpdate"
        default: "handshake type \(rawValue)"
        }
    }
}

/// RFC 8446 §6 alerts: level and description.
public struct Alert: Sendable, Hashable, CustomStringConvertible {
    public var level: UInt8
    public var code: UInt8

    /// RFC 8446 §6.1: close_notify.
    public var isCloseNotify: Bool { code == 0 }

    public var description: String {
        let level = self.level == 1 ? "warning" : self.level == 2 ? "fatal" : "level \(self.level)"
        return "\(level) \(name ?? "alert \(code)")"
    }

    /// RFC 8446 §6 (and RFC 5246 §7.2) alert names.
    private var name: String? {
        switch code {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 22: "record_overflow"
        case 40: "handshake_failure"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 100: "no_renegotiation"
        case 109: "missing_extension"
        case 110: "unsupported_extension"
        case 112: "unrecognized_name"
        case 113: "bad_certificate_status_response"
        case 115: "unknown_psk_identity"
        case 116: "certificate_required"
        case 120: "no_application_protocol"
        default: nil
        }
    }
}

/// Big-endian reads over a byte slice, for the handshake's length-prefixed structures (RFC 8446
/// §3). Every read returns `nil` past the end, never traps.
struct TLSReader {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }
    var remaining: Int { bytes.count }

    mutating func u8() -> UInt8? {
        guard let first = bytes.first else { return nil }
        bytes = bytes.dropFirst()
        return first
    }

    mutating func u16() -> UInt16? { uint(2).map { UInt16($0) } }
    mutating func u24() -> Int? { uint(3).map { Int($0) } }
    mutating func u32() -> UInt32? { uint(4).map { UInt32($0) } }

    private mutating func uint(_ count: Int) -> UInt64? {
        guard bytes.count >= count else { return nil }
        var value: UInt64 = 0
        for byte in bytes.prefix(count) { value = value << 8 | UInt64(byte) }
        bytes = bytes.dropFirst(count)
        return value
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count >= count else { return nil }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    /// A vector with a length prefix of `prefix` bytes (1, 2 or 3).
    mutating func vector(_ prefix: Int) -> ArraySlice<UInt8>? {
        let length: Int? = switch prefix {
        case 1: u8().map(Int.init)
        case 2: u16().map(Int.init)
        default: u24()
        }
        return length.flatMap { take($0) }
    }
}
