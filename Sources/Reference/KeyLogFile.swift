import Foundation
import NIOCore
import NIOSSL
import Synchronization

/// An NSS key log file (the SSLKEYLOGFILE format that Wireshark, tshark and curl read): one line
/// per TLS secret, appended as the handshakes happen, so that captures of the reference traffic
/// can be decrypted. Shared by every connection of a client or server.
public final class KeyLogFile: Sendable {
    public let path: String
    /// Opened with O_APPEND: every line goes to the end of the file as it is then, so that
    /// several processes (a server and its clients) may share one key log without overwriting
    /// each other's lines, which a handle positioned at the end once, when opened, would do.
    private let descriptor: Mutex<Int32>

    /// Opens `path` for appending, creating it when missing.
    public init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw KeyLogError(path: path) }
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        descriptor.withLock { _ = close($0) }
    }

    /// Appends one line (its newline included) in a single write.
    public func append(_ line: some Collection<UInt8>) {
        let bytes = Array(line)
        descriptor.withLock { descriptor in
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    /// The callback NIOSSL calls with one NSS line (its newline included) per secret.
    public var callback: NIOSSLKeyLogCallback {
        { [self] line in append(line.readableBytesView) }
    }
}

public struct KeyLogError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "cannot write the TLS key log \(path)" }
}
