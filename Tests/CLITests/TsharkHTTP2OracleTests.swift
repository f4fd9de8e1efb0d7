import Foundation
import Testing

/// tshark's HTTP/2 dissector as an oracle for frame splitting: the same frames (packet, type,
/// stream, length), in the same order, as grpcdump's `--layer http2 --json`. Each case names one
/// HTTP/2 connection by its client port (in h2-curl-mixed.pcap, nghttpd also sends a SETTINGS
/// frame to HTTP/1.1 clients; tshark, told the port is HTTP/2, decodes it, grpcdump reports
/// those connections as HTTP/1.x).
@Suite(.enabled(if: CommandRunner.which("tshark") != nil, "tshark is not installed"))
struct TsharkHTTP2OracleTests {
    @Test(arguments: [("h2c-nghttp.pcap", 18081, 40414, 20), ("h2-curl-mixed.pcap", 18082, 47198, 8)])
    func framesMatchTshark(name: String, port: Int, clientPort: Int, minimumFrames: Int) throws {
        let path = "captures/" + name
        var theirs: [String] = []
        for fields in try CommandRunner.tsharkFields(path, decodeAs: "tcp.port==\(port),http2", filter: "http2 && tcp.port == \(clientPort)",
                                                     fields: ["frame.number", "http2.type", "http2.streamid", "http2.length"]) {
            let columns = fields.map { $0.split(separator: "|").map(String.init) }
            for i in columns[1].indices { theirs.append("\(columns[0][0]) \(columns[1][i]) \(columns[2][i]) \(columns[3][i])") }
        }
        let ours = try CommandRunner.grpcdump(["-r", path, "--layer", "http2", "--json", "tcp", "port", "\(clientPort)"])
        #expect(ours.status == 0)
        let mine = try ours.stdout.split(separator: "\n").map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let type = try #require(object["type"] as? String)
            let code = ["DATA": 0, "HEADERS": 1, "PRIORITY": 2, "RST_STREAM": 3, "SETTINGS": 4, "PUSH_PROMISE": 5, "PING": 6,
                        "GOAWAY": 7, "WINDOW_UPDATE": 8, "CONTINUATION": 9][type] ?? -1
            return "\(object["packet"]!) \(code) \(object["stream_id"]!) \(object["length"]!)"
        }
        #expect(theirs.count >= minimumFrames)
        #expect(mine == theirs)
    }

    /// tshark's HPACK decoding as an oracle: per packet, the same header names and values in order.
    @Test(arguments: [("h2c-nghttp.pcap", 18081, 40414), ("h2-curl-mixed.pcap", 18082, 47198)])
    func headersMatchTshark(name: String, port: Int, clientPort: Int) throws {
        let path = "captures/" + name
        var theirs: [String: [String]] = [:]
        for fields in try CommandRunner.tsharkFields(path, decodeAs: "tcp.port==\(port),http2", filter: "http2.header && tcp.port == \(clientPort)",
                                                     fields: ["frame.number", "http2.header.name", "http2.header.value"]) {
            let names = fields[1].split(separator: "|", omittingEmptySubsequences: false)
            let values = fields[2].split(separator: "|", omittingEmptySubsequences: false)
            theirs[fields[0], default: []] += zip(names, values).map { "\($0): \($1)" }
        }
        let ours = try CommandRunner.grpcdump(["-r", path, "--layer", "http2", "--json", "tcp", "port", "\(clientPort)"])
        var mine: [String: [String]] = [:]
        for line in ours.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let headers = object["headers"] as? [[String]] else { continue }
            mine["\(object["packet"]!)", default: []] += headers.map { "\($0[0]): \($0[1])" }
        }
        #expect(!theirs.isEmpty)
        #expect(mine == theirs)
    }
}
