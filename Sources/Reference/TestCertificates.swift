import Crypto
import Foundation
import SwiftASN1
import X509

/// A test certificate authority with a server and a client certificate, for the reference
/// server's TLS and mTLS modes (`grpcdump serve --tls --cert-dir DIR`). Made on demand with
/// swift-certificates, ECDSA P-256, valid for a year; the server certificate names `localhost`,
/// 127.0.0.1 and ::1 (RFC 5280 §4.2.1.6 subjectAltName), the client one `grpcdump-client`.
/// Nothing here is secret: it exists only to produce and decrypt test traffic.
public struct TestCertificates: Sendable {
    public var caCertificate: String
    public var serverCertificate: String
    public var serverKey: String
    public var clientCertificate: String
    public var clientKey: String

    /// File names inside the certificate directory, all PEM.
    public static let fileNames = (
        ca: "ca.pem", caKey: "ca-key.pem", server: "server.pem", serverKey: "server-key.pem",
        client: "client.pem", clientKey: "client-key.pem")

    /// Loads the certificates from `directory`, creating the directory and a new set first when
    /// they are not all there.
    public static func loadOrCreate(in directory: String) throws -> TestCertificates {
        let names = fileNames
        let url = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        let all = [names.ca, names.caKey, names.server, names.serverKey, names.client, names.clientKey]
        if !all.allSatisfy({ FileManager.default.fileExists(atPath: path($0)) }) {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let made = try generate()
            let files = [(names.ca, made.caCertificate), (names.caKey, made.caKey), (names.server, made.set.serverCertificate),
                         (names.serverKey, made.set.serverKey), (names.client, made.set.clientCertificate), (names.clientKey, made.set.clientKey)]
            for (name, text) in files { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }
        }
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        return TestCertificates(
            caCertificate: try read(names.ca), serverCertificate: try read(names.server), serverKey: try read(names.serverKey),
            clientCertificate: try read(names.client), clientKey: try read(names.clientKey))
    }

    /// A new CA and the two leaf certificates it signs; the CA's key is returned for the files only.
    static func generate(now: Date = Date()) throws -> (set: TestCertificates, caCertificate: String, caKey: String) {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("grpcdump test CA") }
        let validity = (now.addingTimeInterval(-3600), now.addingTimeInterval(365 * 24 * 3600))
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: validity.0, notValidAfter: validity.1, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        func leaf(_ commonName: String, names: [GeneralName], usage: ExtendedKeyUsage.Usage) throws -> (String, String) {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: validity.0, notValidAfter: validity.1, issuer: caName,
                subject: try DistinguishedName { CommonName(commonName) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    SubjectAlternativeNames(names)
                },
                issuerPrivateKey: .init(caKey))
            return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
        }
        let server = try leaf("localhost", names: [
            .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
        ], usage: .serverAuth)
        let client = try leaf("grpcdump-client", names: [.dnsName("grpcdump-client")], usage: .clientAuth)
        let set = TestCertificates(
            caCertificate: try ca.serializeAsPEM().pemString, serverCertificate: server.0, serverKey: server.1,
            clientCertificate: client.0, clientKey: client.1)
        return (set, set.caCertificate, caKey.pemRepresentation)
    }
}
