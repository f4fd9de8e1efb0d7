import Foundation
import Testing

/// tshark's gRPC dissector as an oracle for message de-framing: the same messages (the packet
/// that completed each, its declared length and compressed flag) as grpcdump's `--json` calls.
@Suite(.enabled(if: CommandRunner.which("tshark") != nil, "tshark is not installed"))
struct TsharkGRPCOracleTests {
    @Test(arguments: [("grpcio-python.pcap", 50061), ("reference-lo.pcap", 50051), ("reference-grpcio-client.pcap", 50051),
                      ("grpc-go-h2c.pcap", 50210)])
    func messagesMatchTshark(name: String, port: Int) throws {
        let path = "captures/" + name
        var theirs: [String] = []
        for fields in try CommandRunner.tsharkFields(path, decodeAs: "tcp.port==\(port),http2", filter: "grpc",
                                                     fields: ["frame.number", "grpc.message_length", "grpc.compressed_flag"]) {
            for (length, flag) in zip(fields[1].split(separator: "|"), fields[2].split(separator: "|")) {
                theirs.append("\(fields[0]) \(length) \(flag == "1" || flag == "0x01" ? "compressed" : "plain")")
            }
        }
        let ours = try CommandRunner.grpcdump(["-r", path, "--json"])
        #expect(ours.status == 0)
        var mine: [String] = []
        for line in ours.stdout.split(separator: "\n") {
            let call = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["requests", "responses"] {
                for message in call[key] as? [[String: Any]] ?? [] {
                    mine.append("\(message["packet"]!) \(message["length"]!) \((message["compressed"] as? Bool) == true ? "compressed" : "plain")")
                }
            }
        }
        #expect(theirs.count >= 15)
        #expect(mine.sorted() == theirs.sorted())
    }
}
