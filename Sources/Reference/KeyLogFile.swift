import Foundation
import NIOCore
import NIOSSL
import Synchronization

/// An NSS key log file (the SSLKEYLOGFILE format that Wireshark, tshark and curl read): one line
/// per TLS secret, appended as the handshakes happen, so that captures of the reference traffic
/// can be decrypted. Shared by every connection of a client or server.
public final class KeyLogFile: Sendable {
    public let path: String
    private let handle: Mutex<FileHandle>

    /// Opens `path` for appending, creating it when missing.
    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw KeyLogError(path: path)
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw KeyLogError(path: path) }
        handle.seekToEndOfFile()
        self.path = path
        self.handle = Mutex(handle)
    }

    /// The callback NIOSSL calls with one NSS line (its newline included) per secret.
    public var callback: NIOSSLKeyLogCallback {
        { [self] line in
            let bytes = Data(line.readableBytesView)
            handle.withLock { $0.write(bytes) }
        }
    }
}

public struct KeyLogError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "cannot write the TLS key log \(path)" }
}
