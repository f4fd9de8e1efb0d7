import Capture
import Foundation
import Testing
import TestSupport
import WireCore

/// Bad input gets one clear message on standard error and the right exit status; whatever could
/// be decoded is still shown.
@Suite struct ErrorHandlingTests {
    static func conversationCapture() -> [UInt8] {
        var conversation = TCPConversation()
        let packets = conversation.handshake() + [conversation.send(.client, Array("hello".utf8)), conversation.send(.server, Array("world!".utf8))]
            + [conversation.fin(.client), conversation.ack(.server), conversation.fin(.server), conversation.ack(.client)]
        return CaptureFileBuilder.pcap(packets)
    }

    @Test func missingFile() throws {
        let result = try CommandRunner.grpcdump(["-r", "/nonexistent/trace.pcap"])
        #expect(result.status == 1)
        #expect(result.stderr == "grpcdump: cannot open '/nonexistent/trace.pcap': No such file or directory\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func directoryInsteadOfFile() throws {
        let result = try CommandRunner.grpcdump(["-r", "/tmp"])
        #expect(result.status == 1)
        #expect(result.stderr == "grpcdump: cannot read '/tmp': it is a directory\n")
    }

    @Test func notACaptureFile() throws {
        let file = try CommandRunner.temporaryFile("notes.txt", Array("just some notes\n".utf8))
        let result = try CommandRunner.grpcdump(["-r", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("grpcdump: capture: not a capture file: a text file [bytes 0..<4]\n"))
        #expect(result.stdout.isEmpty)
    }

    @Test func wrongFlagAndMissingValue() throws {
        let unknown = try CommandRunner.grpcdump(["-r", "x.pcap", "--frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown option '--frobnicate'"))
        let noFile = try CommandRunner.grpcdump([])
        #expect(noFile.status == 64)
        #expect(noFile.stderr.contains("say where packets come from: -r FILE (a capture) or -i INTERFACE (live; -D lists them)"))
        let badLayer = try CommandRunner.grpcdump(["-r", "x.pcap", "--layer", "ip"])
        #expect(badLayer.status == 64)
        let badLimit = try CommandRunner.grpcdump(["-r", "x.pcap", "--max-open-calls", "0"])
        #expect(badLimit.status == 64 && badLimit.stderr.contains("--max-open-calls must be positive"))
    }

    @Test func invalidFilterExpression() throws {
        let file = try CommandRunner.temporaryFile("ok.pcap", Self.conversationCapture())
        let result = try CommandRunner.grpcdump(["-r", file.path, "tcp", "prot", "80"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("grpcdump: invalid filter 'tcp prot 80': "))
    }

    @Test func filterSelectsPackets() throws {
        let file = try CommandRunner.temporaryFile("ok2.pcap", Self.conversationCapture())
        let matching = try CommandRunner.grpcdump(["-r", file.path, "--layer", "tcp", "tcp", "port", "50051"])
        #expect(matching.status == 0)
        #expect(matching.stdout.contains("10.0.0.1:40000"))
        let none = try CommandRunner.grpcdump(["-r", file.path, "--layer", "tcp", "udp"])
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("9 packets (pcap (microsecond, little-endian), EN10MB): 0 TCP in 0 connections, 9 filtered out"))
    }

    @Test func truncatedFileShowsWhatWasReadAndSaysWhatWasLost() throws {
        let whole = Self.conversationCapture()
        let file = try CommandRunner.temporaryFile("cut.pcap", Array(whole.dropLast(30)))
        let result = try CommandRunner.grpcdump(["-r", file.path, "--layer", "tcp"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("file ends inside record 9"))
        #expect(result.stdout.contains("10.0.0.1:40000"))
    }

    @Test func standardInput() throws {
        let result = try CommandRunner.grpcdump(["-r", "-", "--layer", "tcp"], stdin: Data(Self.conversationCapture()))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("10.0.0.1:40000         10.0.0.2:50051         syn") == true)
        #expect(lines.last?.hasSuffix(" FIN") == true)
    }

    /// `tcpdump -U -w - | grpcdump -r -`: what the pipe gave is decoded while it stays open, on
    /// several threads too (their batches must not wait for more input than a pipe holds).
    @Test(arguments: [1, 2]) func standardInputIsDecodedAsItArrives(threads: Int) throws {
        let directory = try CommandRunner.temporaryDirectory("stdin-pipe")
        let out = directory.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let process = Process(), input = Pipe()
        process.executableURL = CommandRunner.grpcdump
        process.arguments = ["-r", "-", "--layer", "tcp", "--threads", "\(threads)"]
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        input.fileHandleForWriting.write(Data(Self.conversationCapture()))  // a whole connection; the pipe stays open
        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        let started = Date()
        while !stdout.contains(" FIN"), Date().timeIntervalSince(started) < 10 { usleep(50_000) }
        #expect(process.isRunning && stdout.contains("10.0.0.1:40000"), "nothing shown before the input ended: \(stdout)")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func emptyStandardInput() throws {
        let result = try CommandRunner.grpcdump(["-r", "-"], stdin: Data())
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("grpcdump: capture: empty input: not a capture file"))
    }

    @Test func unsupportedLinkTypeIsNamedOnce() throws {
        let packets = (0..<3).map { _ in CapturedPacket(number: 0, timestamp: .zero, linkType: LinkType(rawValue: 127), data: [1, 2, 3, 4]) }
        let file = try CommandRunner.temporaryFile("radiotap.pcap", CaptureFileBuilder.pcap(packets))
        let result = try CommandRunner.grpcdump(["-r", file.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("packet 1: link: IEEE802_11_RADIOTAP (127) is not supported; its packets are skipped\n"))
        #expect(result.stderr.contains("3 skipped (3 unsupported link type IEEE802_11_RADIOTAP (127))"))
    }
}
