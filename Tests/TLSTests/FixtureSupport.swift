import Foundation
@testable import TLS

/// Reads the fixtures in `Fixtures/` (see its README for where each came from).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name))) as! [String: Any]
    }

    static func keyLog(_ name: String) throws -> KeyLog {
        KeyLog(text: try bytes(name), source: name)
    }

    /// One stream of tshark's `-z follow,tls,raw` output: the bytes of "Node 0" (unindented
    /// lines) and of the other node (tab-indented lines).
    struct Followed {
        var node0: String
        var node0Bytes: [UInt8] = []
        var node1Bytes: [UInt8] = []

        /// The bytes each way, given the client's endpoint (`127.0.0.1:40000`).
        func bytes(client: String) -> (client: [UInt8], server: [UInt8]) {
            node0 == client ? (node0Bytes, node1Bytes) : (node1Bytes, node0Bytes)
        }
    }

    static func follow(_ name: String) throws -> [Followed] {
        let text = String(decoding: try bytes(name), as: UTF8.self)
        var streams: [Followed] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Node 0: ") { streams.append(Followed(node0: String(line.dropFirst("Node 0: ".count)))) }
            guard !streams.isEmpty, let first = line.first, first == "\t" || first.isHexDigit,
                  let bytes = KeyLog.hex(line.trimmingCharacters(in: .whitespaces).utf8) else { continue }
            if first == "\t" { streams[streams.count - 1].node1Bytes += bytes } else { streams[streams.count - 1].node0Bytes += bytes }
        }
        return streams
    }

    static func hex(_ text: String) -> [UInt8] { KeyLog.hex(text.utf8)! }
}
