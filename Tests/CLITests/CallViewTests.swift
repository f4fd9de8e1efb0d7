import Foundation
import Testing

/// The call view's options on the grpcio reference capture.
@Suite struct CallViewTests {
    let capture = "captures/grpcio-python.pcap"

    func lines(_ arguments: [String]) throws -> [String] {
        let result = try CommandRunner.grpcdump(["-r", capture] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func methodGlob() throws {
        let shown = try lines(["--method", "*Echo/Get"])
        #expect(shown.count == 2 && shown.allSatisfy { $0.contains("/echo.Echo/Get OK") })
        #expect(try lines(["--method", "echo.Echo/[EC]*"]).count == 2)  // Expand, Collect: globs also match without the leading slash
    }

    @Test func statusByNameAndNumber() throws {
        let shown = try lines(["--status", "not_found", "--status", "4"])
        #expect(shown.count == 2)
        #expect(shown[0].contains("/echo.Echo/Find NOT_FOUND") && shown[1].contains("/echo.Echo/Slow DEADLINE_EXCEEDED"))
    }

    @Test func hostAndPort() throws {
        #expect(try lines(["--port", "50061"]).count == 9)
        #expect(try lines(["--port", "1"]).isEmpty)
        #expect(try lines(["--host", "127.0.0.1"]).count == 9)
        #expect(try lines(["--host", "::1"]).isEmpty)
    }

    @Test func stats() throws {
        let table = try lines(["--stats", "--status", "OK"])
        #expect(table.count == 6 + 1 + 5)  // 6 OK calls, the header, 5 methods
        // Aligned in columns as `column -t` prints them: each column starts where its heading does.
        let rows = table.suffix(6)
        let header = try #require(rows.first)
        #expect(header.hasPrefix("METHOD "))
        let getRow = try #require(rows.first { $0.hasPrefix("/echo.Echo/Get ") })
        #expect(getRow.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") == "/echo.Echo/Get 2 1.09ms/1.09ms/1.49ms/1.49ms 33/183 OK 2")
        for heading in ["CALLS", "STATUS", "LATENCY", "BYTES"] {
            let column = try #require(header.range(of: heading)).lowerBound.utf16Offset(in: header)
            for row in rows.dropFirst() {
                let index = row.utf16.index(row.utf16.startIndex, offsetBy: column)
                #expect(row[row.index(before: index)] == " " && row[index] != " ", "\(heading) column in: \(row)")
            }
        }
    }

    @Test func jsonRawAddsMessageBytes() throws {
        let plain = try lines(["--json", "--method", "/echo.Echo/Get"])
        let raw = try lines(["--json-raw", "--json", "--method", "/echo.Echo/Get"])
        #expect(!plain[0].contains("raw_base64"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(raw[0].utf8)) as? [String: Any])
        let request = try #require((object["requests"] as? [[String: Any]])?.first)
        #expect(request["raw_base64"] as? String == "EgNhbm4=")  // field 2, "ann"
    }

    @Test func badFilterValuesAreUsageErrors() throws {
        let status = try CommandRunner.grpcdump(["-r", capture, "--status", "NOPE"])
        #expect(status.status == 64 && status.stderr.contains("unknown status 'NOPE'"))
        let host = try CommandRunner.grpcdump(["-r", capture, "--host", "not-an-ip"])
        #expect(host.status == 64 && host.stderr.contains("is not an IPv4 or IPv6 address"))
    }

    @Test func noColourWhenPiped() throws {
        #expect(try !lines([]).joined().contains("\u{1B}["))
    }
}

/// Colour on a terminal only: `script` (util-linux) gives grpcdump a pseudo-terminal.
@Suite(.enabled(if: CommandRunner.which("script") != nil, "script(1) is not installed"))
struct TerminalColourTests {
    func underTerminal(_ command: String, environment: String = "") throws -> String {
        let binary = CommandRunner.grpcdump.path
        let result = try CommandRunner.run(CommandRunner.which("script")!,
                                           ["-qec", "\(environment) \(binary) \(command) 2>/dev/null", "/dev/null"])
        return result.stdout
    }

    @Test func colourOnATerminalUnlessDisabled() throws {
        let coloured = try underTerminal("-r captures/grpcio-python.pcap --status NOT_FOUND", environment: "env -u NO_COLOR")
        #expect(coloured.contains("\u{1B}[31mNOT_FOUND\u{1B}[0m"))
        #expect(!(try underTerminal("-r captures/grpcio-python.pcap", environment: "env NO_COLOR=1")).contains("\u{1B}["))
        #expect(!(try underTerminal("-r captures/grpcio-python.pcap --no-color", environment: "env -u NO_COLOR")).contains("\u{1B}["))
    }
}
