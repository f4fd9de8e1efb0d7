/// A cipher suite and what decrypting its records takes (IANA "TLS Cipher Suites" registry).
/// Only the suites grpcdump can decrypt are described; others keep their number.
public struct CipherSuite: Sendable, Hashable, CustomStringConvertible {
    public enum Hash: Sendable, Hashable { case sha1, sha256, sha384 }

    /// How records are protected.
    public enum Protection: Sendable, Hashable {
        /// AES-GCM (RFC 5288, RFC 8446 §5.2) with a key of `keyLength` bytes.
        case aesGCM(keyLength: Int)
        /// ChaCha20-Poly1305 (RFC 7905, RFC 8446).
        case chaCha20Poly1305
        /// AES-CBC with HMAC (RFC 5246 §6.2.3.2; encrypt-then-MAC by RFC 7366 when negotiated).
        case aesCBC(keyLength: Int, mac: Hash)
    }

    public var value: UInt16
    public var name: String
    /// TLS 1.3 suites (RFC 8446 §B.4) define no key exchange.
    public var isTLS13: Bool
    /// The hash of the key schedule (TLS 1.3) or of the PRF (TLS 1.2, RFC 5246 §5: SHA-256
    /// unless the suite says SHA-384).
    public var hash: Hash
    /// `nil`: a suite grpcdump cannot decrypt (AES-CCM, export, RC4, …).
    public var protection: Protection?

    public var description: String { name }

    /// The suite with this value; unknown values get a numeric name and no protection.
    public static func named(_ value: UInt16) -> CipherSuite {
        known[value] ?? CipherSuite(value: value, name: "0x" + String(value, radix: 16, uppercase: true).leftPadded(to: 4),
                                    isTLS13: false, hash: .sha256, protection: nil)
    }

    private static let known: [UInt16: CipherSuite] = {
        var table: [UInt16: CipherSuite] = [:]
        func add(_ value: UInt16, _ name: String, tls13: Bool = false, _ hash: Hash, _ protection: Protection?) {
            table[value] = CipherSuite(value: value, name: name, isTLS13: tls13, hash: hash, protection: protection)
        }
        // RFC 8446 §B.4.
        add(0x1301, "TLS_AES_128_GCM_SHA256", tls13: true, .sha256, .aesGCM(keyLength: 16))
        add(0x1302, "TLS_AES_256_GCM_SHA384", tls13: true, .sha384, .aesGCM(keyLength: 32))
        add(0x1303, "TLS_CHACHA20_POLY1305_SHA256", tls13: true, .sha256, .chaCha20Poly1305)
        add(0x1304, "TLS_AES_128_CCM_SHA256", tls13: true, .sha256, nil)
        add(0x1305, "TLS_AES_128_CCM_8_SHA256", tls13: true, .sha256, nil)
        // TLS 1.2 AEAD suites (RFC 5288, RFC 5289, RFC 7905): the ones RFC 9113 §9.2.2 allows for HTTP/2.
        for (value, kx) in [(0xC02B, "ECDHE_ECDSA"), (0xC02F, "ECDHE_RSA"), (0x009E, "DHE_RSA"), (0x009C, "RSA")] as [(UInt16, String)] {
            add(value, "TLS_\(kx)_WITH_AES_128_GCM_SHA256", .sha256, .aesGCM(keyLength: 16))
            add(value + 1, "TLS_\(kx)_WITH_AES_256_GCM_SHA384", .sha384, .aesGCM(keyLength: 32))
        }
        add(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .sha256, .chaCha20Poly1305)
        add(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", .sha256, .chaCha20Poly1305)
        add(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .sha256, .chaCha20Poly1305)
        // CBC suites that older stacks and proxies still negotiate (RFC 5246, RFC 4492, RFC 5289).
        add(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", .sha256, .aesCBC(keyLength: 16, mac: .sha1))
        add(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", .sha256, .aesCBC(keyLength: 32, mac: .sha1))
        add(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", .sha256, .aesCBC(keyLength: 16, mac: .sha1))
        add(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", .sha256, .aesCBC(keyLength: 32, mac: .sha1))
        add(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", .sha256, .aesCBC(keyLength: 16, mac: .sha256))
        add(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", .sha256, .aesCBC(keyLength: 16, mac: .sha256))
        add(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", .sha384, .aesCBC(keyLength: 32, mac: .sha384))
        add(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", .sha384, .aesCBC(keyLength: 32, mac: .sha384))
        add(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", .sha256, .aesCBC(keyLength: 16, mac: .sha1))
        add(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", .sha256, .aesCBC(keyLength: 32, mac: .sha1))
        add(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", .sha256, .aesCBC(keyLength: 16, mac: .sha256))
        add(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", .sha256, .aesCBC(keyLength: 32, mac: .sha256))
        add(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", .sha256, .aesCBC(keyLength: 16, mac: .sha1))
        add(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", .sha256, .aesCBC(keyLength: 32, mac: .sha1))
        // Suites that cannot be decrypted here, named so that the reason is clear.
        add(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", .sha256, nil)
        add(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", .sha256, nil)
        return table
    }()
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
