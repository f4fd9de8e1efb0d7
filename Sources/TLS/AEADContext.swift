import CLibCrypto

/// One direction's AEAD key, set up once in libcrypto (OpenSSL, libssl-dev) and used for every
/// record of the direction: AES-128/256-GCM (RFC 5116, RFC 5288) or ChaCha20-Poly1305 (RFC 8439).
/// Opening a record copies nothing but the plaintext out, where going through swift-crypto's
/// sealed boxes copied the record three times. Records of one direction are opened one at a
/// time (the context's state is reset by each open), so copies of a `RecordProtection` may share it.
final class AEADContext: @unchecked Sendable {
    private let context: OpaquePointer

    init?(_ protection: CipherSuite.Protection, key: [UInt8]) {
        let cipher: OpaquePointer?
        switch protection {
        case .aesGCM(keyLength: 16): cipher = Ciphers.aes128GCM
        case .aesGCM(keyLength: 32): cipher = Ciphers.aes256GCM
        case .chaCha20Poly1305: cipher = Ciphers.chaCha20Poly1305
        default: return nil
        }
        guard let cipher, EVP_CIPHER_get_key_length(cipher) == Int32(key.count),
              let context = clibcrypto_aead_context(cipher, key) else { return nil }
        self.context = context
    }

    /// The ciphers, fetched once (OpenSSL 3 looks them up by name, which every context made from
    /// the legacy `EVP_aes_128_gcm()` would do again); never freed, only read.
    private enum Ciphers {
        nonisolated(unsafe) static let aes128GCM = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil)
        nonisolated(unsafe) static let aes256GCM = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
        nonisolated(unsafe) static let chaCha20Poly1305 = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil)
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// The plaintext of `ciphertext` (the record's body before its 16-byte `tag`), or nil when
    /// the tag does not verify. `nonce` is 12 bytes.
    func open(nonce: [UInt8], aad: [UInt8], ciphertext: ArraySlice<UInt8>, tag: ArraySlice<UInt8>) -> [UInt8]? {
        var plaintext: [UInt8] = []
        let verified = nonce.withUnsafeBufferPointer { nonce in
            aad.withUnsafeBufferPointer { aad in open(nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, appendingTo: &plaintext) }
        }
        return verified ? plaintext : nil
    }

    /// The same, with the nonce and additional data where the caller made them (on its stack),
    /// the plaintext appended to `plaintext`; false (and `plaintext` as it was) when the tag does
    /// not verify.
    func open(nonce: UnsafeBufferPointer<UInt8>, aad: UnsafeBufferPointer<UInt8>, ciphertext: ArraySlice<UInt8>, tag: ArraySlice<UInt8>,
              appendingTo plaintext: inout [UInt8]) -> Bool {
        precondition(nonce.count == 12 && tag.count == 16)
        let start = plaintext.count
        // Room for at least one byte, so that the output has an address even for an empty record;
        // grown geometrically, as records of one segment are appended one after the other.
        let needed = start + max(ciphertext.count, 1)
        if plaintext.capacity < needed { plaintext.reserveCapacity(max(needed, 2 * plaintext.capacity)) }
        plaintext.append(contentsOf: repeatElement(0, count: ciphertext.count))
        let verified = plaintext.withUnsafeMutableBufferPointer { output in
            ciphertext.withUnsafeBufferPointer { body in
                tag.withUnsafeBufferPointer { tag in
                    clibcrypto_aead_open(context, nonce.baseAddress, aad.baseAddress, Int32(aad.count), body.baseAddress, Int32(body.count),
                                         tag.baseAddress, output.baseAddress! + start) == 1
                }
            }
        }
        if !verified { plaintext.removeSubrange(start...) }
        return verified
    }
}
