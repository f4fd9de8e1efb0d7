import NIOSSL

/// TLS settings shared by the reference server and client: the test certificates, mutual TLS
/// (the server requires and verifies a client certificate; the client presents one) and an
/// optional NSS key log. ALPN offers `grpc-exp` and `h2` as gRPC's own transport does.
public struct ReferenceTLS: Sendable {
    public var certificates: TestCertificates
    public var mutual: Bool
    /// Highest TLS version to negotiate: TLS 1.3 by default; 1.2 gives CLIENT_RANDOM key-log lines.
    public var maximumVersion: TLSVersion
    public var keyLog: KeyLogFile?

    public init(certificates: TestCertificates, mutual: Bool = false, maximumVersion: TLSVersion = .tlsv13, keyLog: KeyLogFile? = nil) {
        self.certificates = certificates
        self.mutual = mutual
        self.maximumVersion = maximumVersion
        self.keyLog = keyLog
    }

    /// The name the client sends in SNI and checks the server certificate against.
    public static let serverName = "localhost"

    func serverContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: try Self.certificates(certificates.serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.serverKey.utf8), format: .pem)))
        if mutual {
            config.certificateVerification = .noHostnameVerification
            config.trustRoots = .certificates(try Self.certificates(certificates.caCertificate))
        }
        return try context(config)
    }

    func clientContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        config.certificateVerification = .fullVerification
        config.trustRoots = .certificates(try Self.certificates(certificates.caCertificate))
        if mutual {
            config.certificateChain = try Self.certificates(certificates.clientCertificate).map { .certificate($0) }
            config.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.clientKey.utf8), format: .pem))
        }
        return try context(config)
    }

    private func context(_ base: TLSConfiguration) throws -> NIOSSLContext {
        var config = base
        config.applicationProtocols = ["grpc-exp", "h2"]
        config.minimumTLSVersion = .tlsv12
        config.maximumTLSVersion = maximumVersion
        config.keyLogCallback = keyLog?.callback
        return try NIOSSLContext(configuration: config)
    }

    private static func certificates(_ pem: String) throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
    }
}
