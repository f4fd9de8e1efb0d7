import Crypto
import Foundation
import Testing
@testable import TLS

/// libcrypto's AEAD records (`AEADContext`) against swift-crypto's sealing, and HKDF-Expand
/// against RFC 5869's test vectors: two implementations nobody here wrote check each other.
@Suite struct AEADContextTests {
    static let cases: [(CipherSuite.Protection, keyLength: Int)] = [(.aesGCM(keyLength: 16), 16), (.aesGCM(keyLength: 32), 32), (.chaCha20Poly1305, 32)]

    @Test(arguments: cases.indices)
    func opensWhatSwiftCryptoSealed(index: Int) throws {
        let (protection, keyLength) = Self.cases[index]
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 15, 16, 17, 1000, 16384] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let nonce = (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let aad = (0..<13).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let plaintext = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let sealed: (ciphertext: [UInt8], tag: [UInt8])
            if case .chaCha20Poly1305 = protection {
                let box = try ChaChaPoly.seal(plaintext, using: SymmetricKey(data: key), nonce: ChaChaPoly.Nonce(data: nonce), authenticating: aad)
                sealed = (Array(box.ciphertext), Array(box.tag))
            } else {
                let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: key), nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
                sealed = (Array(box.ciphertext), Array(box.tag))
            }
            let context = try #require(AEADContext(protection, key: key))
            // The record as it arrives: ciphertext then tag, in one buffer.
            let record = sealed.ciphertext + sealed.tag
            #expect(context.open(nonce: nonce, aad: aad, ciphertext: record.dropLast(16), tag: record.suffix(16)) == plaintext)
            // The same context again (each open starts afresh), then with anything altered.
            #expect(context.open(nonce: nonce, aad: aad, ciphertext: record.dropLast(16), tag: record.suffix(16)) == plaintext)
            var badTag = record
            badTag[badTag.count - 1] ^= 1
            #expect(context.open(nonce: nonce, aad: aad, ciphertext: badTag.dropLast(16), tag: badTag.suffix(16)) == nil)
            #expect(context.open(nonce: nonce, aad: aad + [0], ciphertext: record.dropLast(16), tag: record.suffix(16)) == nil)
            var otherNonce = nonce
            otherNonce[0] ^= 0x80
            #expect(context.open(nonce: otherNonce, aad: aad, ciphertext: record.dropLast(16), tag: record.suffix(16)) == nil)
            if length > 0 {
                var badBody = record
                badBody[0] ^= 1
                #expect(context.open(nonce: nonce, aad: aad, ciphertext: badBody.dropLast(16), tag: badBody.suffix(16)) == nil)
            }
        }
    }

    @Test func aKeyOfTheWrongLengthOrACBCSuiteMakesNoContext() {
        #expect(AEADContext(.aesGCM(keyLength: 16), key: Array(repeating: 1, count: 32)) == nil)
        #expect(AEADContext(.chaCha20Poly1305, key: Array(repeating: 1, count: 16)) == nil)
        #expect(AEADContext(.aesCBC(keyLength: 16, mac: .sha1), key: Array(repeating: 1, count: 16)) == nil)
    }

    /// RFC 5869 Appendix A.1 and A.2 (SHA-256; A.2's 82 bytes take three HMAC blocks).
    @Test func hkdfExpandMatchesRFC5869() {
        let prk1 = Self.hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        #expect(KeySchedule.expand(pseudoRandomKey: prk1, info: Self.hex("f0f1f2f3f4f5f6f7f8f9"), length: 42, hash: .sha256)
            == Self.hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
        let prk2 = Self.hex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244")
        let info2 = Self.hex((0xb0...0xff).map { String(format: "%02x", $0) }.joined())
        #expect(KeySchedule.expand(pseudoRandomKey: prk2, info: info2, length: 82, hash: .sha256)
            == Self.hex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"))
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
