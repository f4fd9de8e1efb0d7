import Foundation
import SwiftProtobuf
import XCTest
@testable import ProtoParser

/// Locating reference compilers and corpora, and running them.
enum TestSupport {
    /// The package root (this file is Tests/ProtoParserTests/TestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let dissectors = packageRoot + "/dissectors"

    struct RunResult {
        var status: Int32
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return RunResult(status: -1, stderr: "\(error)")
        }
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stderr: String(decoding: err, as: UTF8.self))
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The system protoc (Debian package `protobuf-compiler`).
    static func systemProtoc() -> String? {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/protoc") { return "/usr/bin/protoc" }
        return which("protoc")
    }

    /// `systemProtoc()`, or a test failure saying how to install it (the set-up script does).
    static func requiredSystemProtoc(file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard let protoc = systemProtoc() else {
            XCTFail("protoc not found: install the Debian package protobuf-compiler", file: file, line: line)
            return nil
        }
        return protoc
    }

    /// `grpcTools()`, or a test failure saying how to install it (the set-up script does).
    static func requiredGrpcTools(file: StaticString = #filePath, line: UInt = #line) -> (python: String, dir: String)? {
        guard let tools = grpcTools() else {
            XCTFail("grpc_tools not found: pip install grpcio-tools==1.85.1", file: file, line: line)
            return nil
        }
        return tools
    }

    /// The command that runs grpc_tools' protoc.
    static func grpcToolsCommand(_ tools: (python: String, dir: String)) -> (String, [String]) {
        (tools.python, ["-m", "grpc_tools.protoc"])
    }

    /// Python and the directory of the `grpcio-tools` package, if installed.
    static func grpcTools() -> (python: String, dir: String)? {
        guard let python = which("python3") else { return nil }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("grpc-tools-dir-\(UUID().uuidString)").path
        let r = run(python, ["-c", "import grpc_tools, os; open('\(tmp)', 'w').write(os.path.dirname(grpc_tools.__file__))"])
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        guard r.status == 0, let dir = try? String(contentsOfFile: tmp, encoding: .utf8) else { return nil }
        return (python, dir)
    }

    static func protoFiles(under root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".proto") { out.append(p) }
        }
        return out.sorted()
    }

    static func tempDirectory() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("protoparser-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    struct CorpusResult {
        var equal = 0
        var different: [String] = []
        var skipped: [String] = []
        /// Files the reference compiler rejected but that compiled without diagnostics here.
        var acceptedButRejected: [String] = []
        var firstDiff: String?
    }

    /// `compareCorpus`, reported on standard output, failing the test for files that differ from
    /// the reference compiler's or that it rejected but `ProtoCompiler` accepted. Returns the
    /// result for further checks.
    @discardableResult
    static func assertSameAsReference(_ name: String, files: [String], importPaths: [String], command: (String, [String]),
                                      file: StaticString = #filePath, line: UInt = #line) -> CorpusResult {
        let r = compareCorpus(files: files, importPaths: importPaths, command: command)
        print("\(name): \(r.equal) equal, \(r.different.count) different \(r.different), \(r.skipped.count) rejected by the reference compiler \(r.skipped), of \(files.count)")
        if let d = r.firstDiff { print(String(d.prefix(20000))) }
        XCTAssertEqual(r.acceptedButRejected, [], "\(name): rejected by the reference compiler but accepted", file: file, line: line)
        XCTAssertEqual(r.different, [], "\(name): files differing from the reference compiler's", file: file, line: line)
        return r
    }

    /// Compiles each file with the reference compiler and with `ProtoCompiler`,
    /// comparing every `FileDescriptorProto`.
    static func compareCorpus(files: [String], importPaths: [String], command: (String, [String])) -> CorpusResult {
        var result = CorpusResult()
        let tmp = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let compiler = ProtoCompiler(importPaths: importPaths)
        for (i, file) in files.enumerated() {
            let out = "\(tmp)/\(i).pb"
            let args = command.1 + importPaths.map { "-I\($0)" } + ["--include_imports", "-o\(out)", file]
            let r = run(command.0, args)
            guard r.status == 0, let data = FileManager.default.contents(atPath: out),
                  let expected = try? Google_Protobuf_FileDescriptorSet(serializedBytes: data) else {
                result.skipped.append(file)
                if compiler.compile([file]).diagnostics.isEmpty { result.acceptedButRejected.append(file) }
                continue
            }
            let actual = compiler.compile([file])
            if actual.files == expected.file {
                result.equal += 1
                continue
            }
            result.different.append(file)
            // Full dumps for inspection when PROTOPARSER_DIFF_DIR is set.
            if let dir = ProcessInfo.processInfo.environment["PROTOPARSER_DIFF_DIR"] {
                let base = dir + "/" + file.replacingOccurrences(of: "/", with: "_")
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try? expected.textFormatString().write(toFile: base + ".expected", atomically: true, encoding: .utf8)
                var set = Google_Protobuf_FileDescriptorSet()
                set.file = actual.files
                try? set.textFormatString().write(toFile: base + ".actual", atomically: true, encoding: .utf8)
            }
            if result.firstDiff == nil {
                var text = "\(file): diagnostics: \(actual.diagnostics.map(\.description))\n"
                let names = expected.file.map(\.name)
                if actual.files.map(\.name) != names {
                    text += "file order differs: expected \(names), got \(actual.files.map(\.name))\n"
                }
                for exp in expected.file {
                    guard let act = actual.files.first(where: { $0.name == exp.name }) else { continue }
                    if act != exp {
                        text += "first differing file \(exp.name)\n--- expected\n\(exp.textFormatString())\n--- actual\n\(act.textFormatString())\n"
                        break
                    }
                }
                result.firstDiff = text
            }
        }
        return result
    }
}
