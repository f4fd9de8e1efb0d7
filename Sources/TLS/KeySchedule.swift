import CLibCrypto
import Crypto

/// The key derivations of TLS: HKDF on libcrypto's HMAC (a TLS session derives a dozen keys, and
/// a capture holds thousands of sessions), the TLS 1.2 PRF on swift-crypto's. No hand-written
/// primitive.
enum KeySchedule {
    /// RFC 8446 §7.1 HKDF-Expand-Label(Secret, Label, Context, Length): HKDF-Expand with
    /// `HkdfLabel { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255> }`.
    /// The label is written into one array, with room for HKDF's counter byte.
    static func expandLabel(_ secret: [UInt8], _ label: String, context: [UInt8] = [], length: Int, hash: CipherSuite.Hash) -> [UInt8] {
        let prefix = "tls13 ".utf8, name = label.utf8
        var info: [UInt8] = []
        info.reserveCapacity(4 + prefix.count + name.count + context.count + 1)
        info += [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(prefix.count + name.count)]
        info.append(contentsOf: prefix)
        info.append(contentsOf: name)
        info.append(UInt8(context.count))
        info.append(contentsOf: context)
        return expand(pseudoRandomKey: secret, info: info, length: length, hash: hash)
    }

    /// RFC 5869 §2.3 HKDF-Expand: T(i) = HMAC-Hash(PRK, T(i-1) ‖ info ‖ i), the first `length`
    /// bytes of T(1) ‖ T(2) ‖ …. TLS's keys, IVs and secrets need T(1) alone, which becomes the
    /// result itself (a session derives eight, a capture holds thousands of sessions).
    static func expand(pseudoRandomKey: [UInt8], info: consuming [UInt8], length: Int, hash: CipherSuite.Hash) -> [UInt8] {
        let template = hash == .sha384 ? HMACTemplates.sha384 : HMACTemplates.sha256
        func hmac(_ input: [UInt8]) -> [UInt8] {
            let mac = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
                count = clibcrypto_hmac(template, pseudoRandomKey, pseudoRandomKey.count, input, input.count, buffer.baseAddress)
            }
            precondition(!mac.isEmpty, "libcrypto's HMAC failed")
            return mac
        }
        var input = info
        input.append(1)
        var block = hmac(input)
        if block.count >= length {
            block.removeLast(block.count - length)
            return block
        }
        input.removeLast()
        let info = input
        var output = block
        var counter: UInt8 = 2
        while output.count < length {
            block = hmac(block + info + [counter])
            output += block
            counter &+= 1
        }
        return Array(output.prefix(length))
    }

    /// libcrypto's HMAC for each hash, set up once; each thread works on a copy of its own
    /// (`clibcrypto_hmac`), so any thread may use them.
    enum HMACTemplates {
        nonisolated(unsafe) static let sha256 = clibcrypto_hmac_template("SHA256")!
        nonisolated(unsafe) static let sha384 = clibcrypto_hmac_template("SHA384")!
    }

    /// RFC 8446 §7.3: the write key and IV of a traffic secret.
    static func trafficKeys(_ secret: [UInt8], suite: CipherSuite) -> (key: [UInt8], iv: [UInt8])? {
        guard let protection = suite.protection else { return nil }
        let keyLength = switch protection {
        case let .aesGCM(length): length
        case .chaCha20Poly1305: 32
        case .aesCBC: 0
        }
        guard keyLength > 0 else { return nil }
        return (expandLabel(secret, "key", length: keyLength, hash: suite.hash), expandLabel(secret, "iv", length: 12, hash: suite.hash))
    }

    /// RFC 8446 §7.2: the next generation of a traffic secret after a KeyUpdate.
    static func nextTrafficSecret(_ secret: [UInt8], suite: CipherSuite) -> [UInt8] {
        expandLabel(secret, "traffic upd", length: secret.count, hash: suite.hash)
    }

    /// RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed).
    static func prf(_ secret: [UInt8], label: String, seed: [UInt8], length: Int, hash: CipherSuite.Hash) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        let labelAndSeed = Array(label.utf8) + seed
        func mac(_ data: [UInt8]) -> [UInt8] {
            switch hash {
            case .sha384: Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
            case .sha256, .sha1: Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
            }
        }
        // P_hash: A(0) = seed, A(i) = HMAC(secret, A(i-1)); output HMAC(secret, A(i) + seed) ...
        var output: [UInt8] = []
        var a = labelAndSeed
        while output.count < length {
            a = mac(a)
            output += mac(a + labelAndSeed)
        }
        return Array(output.prefix(length))
    }

    /// RFC 5246 §6.3: the key block, cut into each side's MAC key, encryption key and IV.
    static func keyBlock12(masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], suite: CipherSuite)
        -> (client: DirectionKeys, server: DirectionKeys)?
    {
        guard let protection = suite.protection else { return nil }
        let (macLength, keyLength, ivLength): (Int, Int, Int) = switch protection {
        // RFC 5288 §3: the implicit 4-byte salt of the GCM nonce.
        case let .aesGCM(length): (0, length, 4)
        // RFC 7905 §2: a 12-byte IV.
        case .chaCha20Poly1305: (0, 32, 12)
        // TLS 1.1+ CBC: the IV travels in each record.
        case let .aesCBC(length, mac): (mac == .sha1 ? 20 : mac == .sha256 ? 32 : 48, length, 0)
        }
        let block = prf(masterSecret, label: "key expansion", seed: serverRandom + clientRandom,
                        length: 2 * (macLength + keyLength + ivLength), hash: suite.hash)
        var at = 0
        func take(_ count: Int) -> [UInt8] { defer { at += count }; return Array(block[at..<at + count]) }
        let clientMAC = take(macLength), serverMAC = take(macLength)
        let clientKey = take(keyLength), serverKey = take(keyLength)
        let clientIV = take(ivLength), serverIV = take(ivLength)
        return (DirectionKeys(key: clientKey, iv: clientIV, macKey: clientMAC), DirectionKeys(key: serverKey, iv: serverIV, macKey: serverMAC))
    }
}

/// One direction's record keys.
struct DirectionKeys: Sendable {
    var key: [UInt8]
    var iv: [UInt8]
    var macKey: [UInt8] = []
}
