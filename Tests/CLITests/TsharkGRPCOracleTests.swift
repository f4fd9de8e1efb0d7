import Foundation
import Testing

/// tshark's gRPC dissector as an oracle for message de-framing: the same messages (the packet
/// that completed each, its declared length and compressed flag) as grpcdump's `--json` calls.
@Suite(.enabled(if: CommandRunner.which("tshark") != nil, "tshark is not installed"))
struct TsharkGRPCOracleTests {
    @Test(arguments: [("grpcio-python.pcap", 50061)])
    func messagesMatchTshark(name: String, port: Int) throws {
        let path = "captures/" + name
        let tshark = try CommandRunner.run(CommandRunner.which("tshark")!, [
            "-r", path, "-d", "tcp.port==\(port),http2", "-Y", "grpc",
            "-T", "fields", "-E", "aggregator=|", "-e", "frame.number", "-e", "grpc.message_length", "-e", "grpc.compressed_flag",
        ])
        try #require(tshark.status == 0, "\(tshark.stderr)")
        var theirs: [String] = []
        for line in tshark.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
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
