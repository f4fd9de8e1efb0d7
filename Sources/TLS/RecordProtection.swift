import Crypto
import CryptoExtras
import Foundation

/// One direction's read keys and record sequence number: opens protected records (RFC 8446
/// §5.2-5.3 for TLS 1.3; RFC 5246 §6.2.3, RFC 5288, RFC 7905 and RFC 7366 for TLS 1.2). The
/// AEAD suites go through libcrypto (`AEADContext`), CBC and its MACs through swift-crypto.
struct RecordProtection: Sendable {
    enum Failure: Error, Sendable, Equatable {
        /// The AEAD tag or the MAC does not verify: wrong key, wrong sequence number, or altered bytes.
        case authentication
        /// The record is too short for its protection's overhead.
        case tooShort
        /// CBC padding is malformed (checked after the MAC when encrypt-then-MAC was negotiated).
        case padding
        case unsupported
    }

    let suite: CipherSuite
    let isTLS13: Bool
    let keys: DirectionKeys
    /// The keys, made once: the AEAD context, or the CBC key and MAC key.
    private let aead: AEADContext?
    private let key: SymmetricKey
    private let macKey: SymmetricKey
    /// RFC 7366: the MAC covers the ciphertext (TLS 1.2 CBC only).
    let encryptThenMAC: Bool
    var sequence: UInt64 = 0

    init?(suite: CipherSuite, isTLS13: Bool, keys: DirectionKeys, encryptThenMAC: Bool = false) {
        guard let protection = suite.protection else { return nil }
        self.suite = suite
        self.isTLS13 = isTLS13
        self.keys = keys
        if case .aesCBC = protection {
            aead = nil
        } else {
            guard let context = AEADContext(protection, key: keys.key) else { return nil }
            aead = context
        }
        key = SymmetricKey(data: keys.key)
        macKey = SymmetricKey(data: keys.macKey)
        self.encryptThenMAC = encryptThenMAC
    }

    /// TLS 1.3 keys from a traffic secret.
    init?(suite: CipherSuite, trafficSecret: [UInt8]) {
        guard let (key, iv) = KeySchedule.trafficKeys(trafficSecret, suite: suite) else { return nil }
        self.init(suite: suite, isTLS13: true, keys: DirectionKeys(key: key, iv: iv))
    }

    /// Opens `record` with the current sequence number, which advances on success, appending its
    /// plaintext to `plaintext` (TLS 1.3: the inner type and padding taken off). Returns the
    /// content type; on failure `plaintext` is as it was.
    mutating func open(_ record: TLSRecord, appendingTo plaintext: inout [UInt8]) -> Result<ContentType, Failure> {
        let result = open(record, sequence: sequence, appendingTo: &plaintext)
        if case .success = result { sequence &+= 1 }
        return result
    }

    /// Opens `record` with the current sequence number, which advances on success. Returns the
    /// content type and the plaintext.
    mutating func open(_ record: TLSRecord) -> Result<(ContentType, [UInt8]), Failure> {
        var plaintext: [UInt8] = []
        return open(record, appendingTo: &plaintext).map { ($0, plaintext) }
    }

    /// Opens `record` as if it had sequence number `sequence` (no state changes): for trying
    /// candidates when the number is unknown.
    func open(_ record: TLSRecord, sequence: UInt64) -> Result<(ContentType, [UInt8]), Failure> {
        var plaintext: [UInt8] = []
        return open(record, sequence: sequence, appendingTo: &plaintext).map { ($0, plaintext) }
    }

    private func open(_ record: TLSRecord, sequence: UInt64, appendingTo plaintext: inout [UInt8]) -> Result<ContentType, Failure> {
        guard let protection = suite.protection else { return .failure(.unsupported) }
        switch protection {
        case .aesGCM, .chaCha20Poly1305:
            return openAEAD(record, sequence: sequence, protection, appendingTo: &plaintext)
        case let .aesCBC(_, mac):
            return openCBC(record, sequence: sequence, mac: mac).map { type, content in
                plaintext += content
                return type
            }
        }
    }

    private func openAEAD(_ record: TLSRecord, sequence: UInt64, _ protection: CipherSuite.Protection,
                          appendingTo plaintext: inout [UInt8]) -> Result<ContentType, Failure> {
        let fragment = record.fragment
        let isGCM12 = !isTLS13 && { if case .aesGCM = protection { true } else { false } }()
        // RFC 5288 §3: the TLS 1.2 GCM record starts with its 8-byte explicit nonce.
        let ciphertext = isGCM12 ? fragment.dropFirst(8) : fragment
        guard fragment.count >= (isGCM12 ? 8 : 0) + 16 else { return .failure(.tooShort) }
        guard let aead else { return .failure(.authentication) }
        // The nonce (12 bytes) and the additional data (5 or 13) are made on the stack.
        let start = plaintext.count
        let opened = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12 + 13) { scratch -> Bool in
            let iv = keys.iv
            if isGCM12 {
                // RFC 5288 §3: nonce = salt (4) ‖ explicit nonce (8).
                for index in 0..<4 { scratch[index] = iv[index] }
                for (index, byte) in fragment.prefix(8).enumerated() { scratch[4 + index] = byte }
            } else {
                // RFC 8446 §5.3, RFC 7905 §2: nonce = IV XOR the 64-bit sequence number, left-padded.
                for index in 0..<12 { scratch[index] = iv[index] }
                for index in 0..<8 { scratch[4 + index] ^= UInt8(truncatingIfNeeded: sequence >> (56 - 8 * index)) }
            }
            let aadCount: Int
            if isTLS13 {
                // RFC 8446 §5.2: the record header.
                aadCount = 5
                Self.writeHeader(type: record.type.rawValue, version: record.version, length: fragment.count, into: scratch, at: 12)
            } else {
                // RFC 5246 §6.2.3.3: seq_num ‖ type ‖ version ‖ length of the plaintext.
                aadCount = 13
                for index in 0..<8 { scratch[12 + index] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * index)) }
                Self.writeHeader(type: record.type.rawValue, version: record.version, length: ciphertext.count - 16, into: scratch, at: 20)
            }
            return aead.open(nonce: UnsafeBufferPointer(rebasing: scratch[0..<12]), aad: UnsafeBufferPointer(rebasing: scratch[12..<12 + aadCount]),
                             ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16), appendingTo: &plaintext)
        }
        guard opened else { return .failure(.authentication) }
        guard isTLS13 else { return .success(record.type) }
        // RFC 8446 §5.2 TLSInnerPlaintext: content ‖ type ‖ zeros.
        while plaintext.count > start, plaintext.last == 0 { plaintext.removeLast() }
        guard plaintext.count > start, let type = plaintext.popLast() else {
            plaintext.removeSubrange(start...)
            return .failure(.padding)
        }
        return .success(ContentType(rawValue: type))
    }

    /// A record header's five bytes (RFC 8446 §5.1: type, version, length) at `offset`.
    private static func writeHeader(type: UInt8, version: UInt16, length: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        buffer[offset] = type
        buffer[offset + 1] = UInt8(version >> 8)
        buffer[offset + 2] = UInt8(version & 0xFF)
        buffer[offset + 3] = UInt8(length >> 8 & 0xFF)
        buffer[offset + 4] = UInt8(length & 0xFF)
    }

    private func openCBC(_ record: TLSRecord, sequence: UInt64, mac: CipherSuite.Hash) -> Result<(ContentType, [UInt8]), Failure> {
        let macLength = mac == .sha1 ? 20 : mac == .sha256 ? 32 : 48
        var fragment = record.fragment
        let header = Self.be64(sequence) + [record.type.rawValue, UInt8(record.version >> 8), UInt8(record.version & 0xFF)]
        if encryptThenMAC {
            // RFC 7366 §3: MAC(seq ‖ type ‖ version ‖ length ‖ IV ‖ ciphertext), then decrypt.
            guard fragment.count >= 16 + 16 + macLength else { return .failure(.tooShort) }
            let received = fragment.suffix(macLength)
            fragment = fragment.dropLast(macLength)
            guard Self.mac(mac, key: macKey, header + Self.be16(fragment.count) + fragment).elementsEqual(received) else { return .failure(.authentication) }
        }
        // TLS 1.1+ (RFC 5246 §6.2.3.2): the record starts with its IV.
        guard fragment.count >= 32, fragment.count % 16 == 0 else { return .failure(.tooShort) }
        let decrypted: [UInt8]
        do {
            decrypted = Array(try AES._CBC.decrypt(fragment.dropFirst(16), using: key,
                                                   iv: AES._CBC.IV(ivBytes: fragment.prefix(16)), noPadding: true))
        } catch {
            return .failure(.authentication)
        }
        // Padding: `p` bytes of value `p` and the length byte itself.
        guard let padLength = decrypted.last.map(Int.init), padLength + 1 <= decrypted.count,
              decrypted.suffix(padLength + 1).allSatisfy({ Int($0) == padLength }) else { return .failure(.padding) }
        var content = decrypted.dropLast(padLength + 1)
        if !encryptThenMAC {
            // MAC-then-encrypt: MAC(seq ‖ type ‖ version ‖ length ‖ content) ends the content.
            guard content.count >= macLength else { return .failure(.tooShort) }
            let received = content.suffix(macLength)
            content = content.dropLast(macLength)
            guard Self.mac(mac, key: macKey, header + Self.be16(content.count) + content).elementsEqual(received) else { return .failure(.authentication) }
        }
        return .success((record.type, Array(content)))
    }

    private static func mac(_ hash: CipherSuite.Hash, key: SymmetricKey, _ data: some DataProtocol) -> [UInt8] {
        switch hash {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha384: Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        }
    }

    static func be64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
}
