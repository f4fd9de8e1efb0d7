import ArgumentParser
import Foundation
import NIOSSL
import Reference

/// TLS options shared by `serve` and `call`.
struct TLSOptions: ParsableArguments {
    @Flag(help: "Use TLS, with the test certificates of --cert-dir.") var tls = false
    @Flag(help: "Mutual TLS (implies --tls): the server requires a client certificate signed by the test CA; the client presents one.")
    var mtls = false
    @Option(help: ArgumentHelp("Directory of the test CA, server and client certificates (PEM); made on first use.", valueName: "dir"))
    var certDir = "grpcdump-certs"
    @Option(help: ArgumentHelp("Append the TLS secrets to this NSS key log file, for decrypting captures (default: $SSLKEYLOGFILE).", valueName: "file"))
    var keylog: String?
    @Option(help: ArgumentHelp("Highest TLS version to negotiate: 1.2 or 1.3.", valueName: "version"))
    var tlsMax = "1.3"

    func validate() throws {
        guard ["1.2", "1.3"].contains(tlsMax) else { throw ValidationError("--tls-max must be 1.2 or 1.3, got '\(tlsMax)'") }
    }

    /// nil for plaintext.
    func settings() throws -> ReferenceTLS? {
        guard tls || mtls else { return nil }
        let certificates: TestCertificates
        do {
            certificates = try TestCertificates.loadOrCreate(in: certDir)
        } catch {
            throw ValidationError("cannot use the certificate directory '\(certDir)': \(error)")
        }
        let keyLogPath = keylog ?? ProcessInfo.processInfo.environment["SSLKEYLOGFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let keyLog: KeyLogFile?
        do { keyLog = try keyLogPath.map(KeyLogFile.init(path:)) } catch { throw ValidationError("\(error)") }
        return ReferenceTLS(certificates: certificates, mutual: mtls, maximumVersion: tlsMax == "1.2" ? .tlsv12 : .tlsv13, keyLog: keyLog)
    }
}
