import Foundation
import SwiftASN1
import X509

/// What the server's certificate says (its first, end-entity certificate), read with
/// swift-certificates: plaintext in TLS 1.2's Certificate message (RFC 5246 §7.4.2), decrypted in
/// TLS 1.3's (RFC 8446 §4.4.2).
public struct CertificateSummary: Sendable, Hashable {
    public var subject: String
    public var issuer: String
    public var notValidBefore: Date
    public var notValidAfter: Date
    /// Certificates in the chain.
    public var chainLength: Int

    /// A Certificate message's body; `isTLS13` adds the request context and per-entry extensions.
    init?(_ body: ArraySlice<UInt8>, isTLS13: Bool) {
        var reader = TLSReader(body)
        if isTLS13 { guard reader.vector(1) != nil else { return nil } }
        guard let list = reader.vector(3) else { return nil }
        var entries = TLSReader(list)
        var ders: [ArraySlice<UInt8>] = []
        while let der = entries.vector(3) {
            ders.append(der)
            if isTLS13 { guard entries.vector(2) != nil else { break } }
        }
        guard let first = ders.first, let certificate = try? Certificate(derEncoded: Array(first)) else { return nil }
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        chainLength = ders.count
    }
}
