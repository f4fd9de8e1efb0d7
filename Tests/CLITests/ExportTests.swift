import Foundation
import Testing

/// `--export grpcurl`: each call of a capture as the grpcurl command that sends it again.
/// grpcurl itself is not packaged by Debian 12, so the commands are parsed as sh would split
/// them and checked flag by flag against grpcurl's documented syntax
/// (`grpcurl [flags] address symbol`, github.com/fullstorydev/grpcurl).
struct ExportTests {
    /// sh's word splitting for what the export writes: plain words and single-quoted ones
    /// (`'it'\''s'` is one word).
    static func words(_ line: String) throws -> [String] {
        var words: [String] = [], word = "", inWord = false, quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "'" { quoted = false } else { word.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == "\\" {
                let escaped = characters.popFirst()
                word.append(try #require(escaped))
                inWord = true
            } else if character == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        try #require(!quoted, "unterminated quote in \(line)")
        if inWord { words.append(word) }
        return words
    }

    /// A grpcurl command: its flags with their values, the address and the method.
    struct Command {
        var flags: [(String, String?)] = []
        var address = "", method = ""

        static let flagsWithValue: Set = ["-H", "-d", "-max-time", "-servername", "-authority", "-proto", "-import-path", "-protoset"]
        static let booleanFlags: Set = ["-plaintext"]

        init(_ words: [String]) throws {
            try #require(words.first == "grpcurl")
            var rest = words.dropFirst()
            while let word = rest.first, word.hasPrefix("-") {
                rest.removeFirst()
                if Self.booleanFlags.contains(word) { flags.append((word, nil)); continue }
                try #require(Self.flagsWithValue.contains(word), "not a grpcurl flag: \(word)")
                let value = rest.popFirst()
                flags.append((word, try #require(value, "\(word) without a value")))
            }
            try #require(rest.count == 2, "expected address and method after the flags: \(rest)")
            address = rest.first!
            method = rest.last!
        }

        func values(_ flag: String) -> [String] { flags.filter { $0.0 == flag }.compactMap(\.1) }
        func has(_ flag: String) -> Bool { flags.contains { $0.0 == flag } }
    }

    static func export(_ arguments: [String]) throws -> [String] {
        let result = try CommandRunner.grpcdump(arguments + ["--export", "grpcurl", "--threads", "1"])
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func everyCallOfTheReferenceCaptureBecomesACommand() throws {
        let lines = try Self.export(["-r", "captures/reference-lo.pcap"])
        let calls = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap", "--threads", "1"]).stdout.split(separator: "\n").map(String.init)
        // Each call: its summary line as a comment, then the command (or the reason and the command commented out).
        let summaries = lines.filter { $0.hasPrefix("# ") && !$0.hasPrefix("# not expressible") && !$0.hasPrefix("# grpcurl") }
        #expect(summaries == calls.map { "# " + $0 })
        let commands = try lines.filter { $0.hasPrefix("grpcurl ") }.map { try Command(try Self.words($0)) }
        let commentedOut = lines.filter { $0.hasPrefix("# grpcurl ") }
        #expect(commands.count + commentedOut.count == calls.count)
        for command in commands {
            #expect(command.address == "127.0.0.1:50051" && command.has("-plaintext"))
            #expect(!command.method.hasPrefix("/") && command.method.contains("/"))
            // Requests as JSON objects, one after the other, as grpcurl -d reads a stream of them.
            let data = try #require(command.values("-d").first)
            for document in try Self.jsonDocuments(data) { #expect(document is [String: Any]) }
            // No header the gRPC library sets itself.
            for header in command.values("-H") {
                let name = String(header.prefix { $0 != ":" })
                #expect(!["content-type", "te", "grpc-timeout", "user-agent", "grpc-accept-encoding"].contains(name) && !name.isEmpty, "\(header)")
            }
        }
        // The NOT_FOUND GetUser: its request decoded by the bundled schemas, its metadata kept.
        let notFound = try #require(commands.first { $0.values("-d") == [#"{"id":"999"}"#] })
        #expect(notFound.method == "userservice.UserService/GetUser")
        #expect(notFound.values("-H") == ["authorization: Bearer user-token", "x-request-id: req-1"])
        // The chat's responses came between its requests: named, with the reason.
        let chat = try #require(lines.firstIndex { $0.hasPrefix("# ") && $0.contains("/userservice.UserService/Chat") })
        #expect(lines[chat + 1] == "# not expressible with grpcurl: responses came between its requests; grpcurl sends every request without waiting")
        #expect(lines[chat + 2].hasPrefix("# grpcurl -plaintext"))
        // A deadline becomes -max-time.
        #expect(commands.contains { !$0.values("-max-time").isEmpty })
    }

    @Test func withoutASchemaTheRequestCannotBeWrittenAsJSON() throws {
        let lines = try Self.export(["-r", "captures/reference-lo.pcap", "--no-dissectors", "--method", "*GetUser", "--status", "NOT_FOUND"])
        #expect(lines.count == 3)
        #expect(lines[1] == "# not expressible with grpcurl: grpcurl takes requests as JSON, and no schema loaded describes this method's request (give --proto or --protoset)")
        let command = try Command(try Self.words(String(lines[2].dropFirst(2))))
        #expect(command.method == "userservice.UserService/GetUser")
    }

    @Test func schemaFilesGoToGrpcurlAsTheyWereGiven() throws {
        let lines = try Self.export(["-r", "captures/reference-lo.pcap", "--no-dissectors", "-I", "dissectors",
                                     "--proto", "dissectors/reference/userservice.proto", "--method", "*GetUser", "--status", "NOT_FOUND"])
        let command = try Command(try Self.words(try #require(lines.last)))
        #expect(command.values("-import-path") == ["dissectors"])
        #expect(command.values("-proto") == ["dissectors/reference/userservice.proto"])
        #expect(command.values("-d") == [#"{"id":"999"}"#])
    }

    @Test func tlsCallsAreSentOverTLSToTheNameTheyUsed() throws {
        let lines = try Self.export(["-r", "captures/reference-tls.pcap", "--keylog", "captures/reference-tls.keys"])
        let commands = try lines.filter { $0.hasPrefix("grpcurl ") }.map { try Command(try Self.words($0)) }
        #expect(!commands.isEmpty)
        for command in commands {
            #expect(!command.has("-plaintext"))
            #expect(command.values("-servername") == ["localhost"])
        }
    }

    @Test func quotingSurvivesQuotesAndSpaces() throws {
        #expect(try Self.words(#"grpcurl -H 'a: it'\''s' -d '{"x":"a b"}' h:1 p.S/M"#) == ["grpcurl", "-H", "a: it's", "-d", #"{"x":"a b"}"#, "h:1", "p.S/M"])
    }

    @Test func exportGoesWithoutTheOtherViews() throws {
        let result = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap", "--export", "grpcurl", "--json"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--export prints commands in place of the calls"))
        let unknown = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap", "--export", "curl"])
        #expect(unknown.status == 64)
    }

    /// JSON objects one after the other, separated by spaces.
    static func jsonDocuments(_ text: String) throws -> [Any] {
        guard !text.isEmpty else { return [] }
        let wrapped = "[" + text.replacingOccurrences(of: "} {", with: "},{") + "]"
        return try #require(try JSONSerialization.jsonObject(with: Data(wrapped.utf8)) as? [Any])
    }
}
