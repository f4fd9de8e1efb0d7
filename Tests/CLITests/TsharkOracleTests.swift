import ByteStream
import Foundation
import Testing

/// tshark (Wireshark's reassembly, written by nobody on this team) as an oracle: for every
/// connection of the reference captures, the bytes grpcdump hands on in each direction must equal
/// what `tshark -z follow,tcp,raw` shows.
@Suite(.enabled(if: CommandRunner.which("tshark") != nil, "tshark is not installed"))
struct TsharkOracleTests {
    static let captures = ["http-lo.pcap", "http-any-ns.pcap", "h2c-nghttp.pcap", "h2-curl-mixed.pcap"]

    @Test(arguments: captures)
    func streamsMatchTsharkFollow(name: String) throws {
        let path = CommandRunner.packageRoot.appendingPathComponent("captures").appendingPathComponent(name)
        let ours = StreamCollector.connections(in: Array(try Data(contentsOf: path)))
        #expect(!ours.isEmpty)
        for (index, connection) in ours.enumerated() {
            let follow = try CommandRunner.run(CommandRunner.which("tshark")!, ["-r", path.path, "-q", "-z", "follow,tcp,raw,\(index)"])
            try #require(follow.status == 0, "\(follow.stderr)")
            let theirs = try Self.parseFollow(follow.stdout)
            #expect(theirs.node0 == connection.client.description, "\(name) stream \(index)")
            #expect(theirs.node1 == connection.server.description, "\(name) stream \(index)")
            #expect(theirs.fromNode0 == connection.clientToServer, "\(name) stream \(index) client→server")
            #expect(theirs.fromNode1 == connection.serverToClient, "\(name) stream \(index) server→client")
            #expect(connection.gaps == 0)
        }
    }

    struct Follow {
        var node0 = "", node1 = ""
        var fromNode0: [UInt8] = [], fromNode1: [UInt8] = []
    }

    /// tshark's raw follow output: `Node 0:`/`Node 1:` lines, then hex lines; lines from node 1 are
    /// indented with a tab.
    static func parseFollow(_ text: String) throws -> Follow {
        var follow = Follow()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("Node 0: ") { follow.node0 = String(line.dropFirst(8)); continue }
            if line.hasPrefix("Node 1: ") { follow.node1 = String(line.dropFirst(8)); continue }
            if line.hasPrefix("=") || line.hasPrefix("Follow:") || line.hasPrefix("Filter:") { continue }
            let fromNode1 = line.hasPrefix("\t")
            let hex = Array(line.trimmingCharacters(in: .whitespaces).utf8)
            var bytes: [UInt8] = []
            var index = 0
            while index + 1 < hex.count {
                guard let byte = UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) else {
                    throw CocoaError(.fileReadCorruptFile)
                }
                bytes.append(byte)
                index += 2
            }
            if fromNode1 { follow.fromNode1 += bytes } else { follow.fromNode0 += bytes }
        }
        return follow
    }
}
