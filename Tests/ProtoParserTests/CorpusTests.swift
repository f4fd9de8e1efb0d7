import Foundation
import SwiftProtobuf
import XCTest
@testable import ProtoParser

/// Every corpus file compiled by the reference protoc and by `ProtoCompiler`
/// must give equal `FileDescriptorProto`s.
final class CorpusTests: XCTestCase {
    private func check(_ name: String, files: [String], importPaths: [String], command: (String, [String])) {
        let r = TestSupport.compareCorpus(files: files, importPaths: importPaths, command: command)
        print("CORPUS \(name): \(r.equal) equal, \(r.different.count) different, \(r.skipped.count) skipped (reference compiler rejected) of \(files.count)")
        if !r.different.isEmpty { print("CORPUS \(name) different: \(r.different)") }
        if !r.skipped.isEmpty { print("CORPUS \(name) skipped: \(r.skipped)") }
        if let d = r.firstDiff { print(d) }
        XCTAssertEqual(r.acceptedButRejected, [], "\(name): rejected by the reference compiler but accepted")
        XCTAssertEqual(r.different, [], "\(name): files differing from protoc")
        XCTAssertGreaterThan(r.equal, 0, "\(name): nothing compared")
    }

    private func systemProtoc() throws -> String {
        guard let p = TestSupport.systemProtoc() else {
            XCTFail("protoc not found: install the Debian package protobuf-compiler")
            throw XCTSkip("no protoc")
        }
        return p
    }

    func testDissectorsCorpus() throws {
        let root = TestSupport.dissectors
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        check("dissectors", files: files, importPaths: [root], command: (try systemProtoc(), []))
    }

    func testGrpcProtoCorpus() throws {
        let root = "/usr/share/grpc-proto"
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        check("grpc-proto", files: files, importPaths: [root, "/usr/include"], command: (try systemProtoc(), []))
    }

    func testSystemIncludeCorpus() throws {
        let root = "/usr/include"
        let files = TestSupport.protoFiles(under: root + "/google/protobuf").filter { !$0.contains("/") }.map { "google/protobuf/" + $0 }
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)/google/protobuf")
        check("usr-include", files: files, importPaths: [root], command: (try systemProtoc(), []))
    }

    func testGrpcToolsCorpus() throws {
        guard let tools = TestSupport.grpcTools() else {
            XCTFail("grpc_tools not found: pip install grpcio-tools==1.85.1")
            return
        }
        let root = tools.dir + "/_proto"
        let files = TestSupport.protoFiles(under: root)
        check("grpc_tools", files: files, importPaths: [root], command: (tools.python, ["-m", "grpc_tools.protoc"]))
    }
}

/// The test protos shipped with the protocol buffers sources inside the
/// swift-protobuf dependency checkout (custom options, editions, groups…),
/// compared against the newest reference compiler. Skipped when absent.
final class UpstreamTestProtoTests: XCTestCase {
    func testUpstreamTestProtos() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/checkouts/swift-protobuf/Sources/protobuf/protobuf/src").path
        let files = TestSupport.protoFiles(under: root + "/google/protobuf").filter { !$0.contains("/") }.map { "google/protobuf/" + $0 }
        try XCTSkipIf(files.isEmpty, "no dependency checkout at \(root)")
        guard let tools = TestSupport.grpcTools() else {
            XCTFail("grpc_tools not found: pip install grpcio-tools==1.85.1")
            return
        }
        // Later editions (2026, "UNSTABLE") are rejected by the reference compiler too.
        let supported = files
        let r = TestSupport.compareCorpus(files: supported, importPaths: [root], command: (tools.python, ["-m", "grpc_tools.protoc"]))
        print("UPSTREAM: \(r.equal) equal, \(r.different.count) different, \(r.skipped.count) rejected by reference of \(supported.count) ")
        print("UPSTREAM different: \(r.different)")
        print("UPSTREAM accepted but rejected by reference: \(r.acceptedButRejected)")
        if let d = r.firstDiff { print(String(d.prefix(20000))) }
        XCTAssertEqual(r.different, [])
        XCTAssertEqual(r.acceptedButRejected, [])
    }
}

/// The runtime library's own test protos (proto2/proto3: naming edge cases,
/// groups, message sets, extensions), compared against both reference
/// compilers. Skipped when the dependency checkout is absent.
final class RuntimeTestProtoTests: XCTestCase {
    func testRuntimeTestProtos() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/checkouts/swift-protobuf/Protos/Tests/SwiftProtobufTests").path
        let files = TestSupport.protoFiles(under: checkout).filter {
            (try? String(contentsOfFile: checkout + "/" + $0, encoding: .utf8))?.contains("edition = \"2026\"") != true
        }
        try XCTSkipIf(files.isEmpty, "no dependency checkout at \(checkout)")
        if let protoc = TestSupport.systemProtoc() {
            let r = TestSupport.compareCorpus(files: files, importPaths: [checkout, "/usr/include"], command: (protoc, []))
            print("RUNTIME protoc-3.21: \(r.equal) equal, \(r.different.count) different \(r.different), \(r.skipped.count) rejected by reference \(r.skipped) of \(files.count)")
            if let d = r.firstDiff { print(String(d.prefix(20000))) }
            XCTAssertEqual(r.different, [])
            XCTAssertEqual(r.acceptedButRejected, [])
        }
        if let tools = TestSupport.grpcTools() {
            let r = TestSupport.compareCorpus(files: files, importPaths: [checkout, tools.dir + "/_proto"], command: (tools.python, ["-m", "grpc_tools.protoc"]))
            print("RUNTIME grpc_tools: \(r.equal) equal, \(r.different.count) different \(r.different), \(r.skipped.count) rejected by reference \(r.skipped) of \(files.count)")
            if let d = r.firstDiff { print(String(d.prefix(20000))) }
            XCTAssertEqual(r.different, [])
            XCTAssertEqual(r.acceptedButRejected, [])
        }
    }
}

/// All files of a corpus in one compilation, as one reference compiler run.
final class WholeCorpusTests: XCTestCase {
    func testDissectorsInOneCompilation() throws {
        let root = TestSupport.dissectors
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        guard let protoc = TestSupport.systemProtoc() else {
            XCTFail("protoc not found: install the Debian package protobuf-compiler")
            return
        }
        let dir = TestSupport.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Filesystem paths, mapped to import-relative names like the reference compiler does.
        let paths = files.map { root + "/" + $0 }
        let r = TestSupport.run(protoc, ["-I" + root, "--include_imports", "-o" + dir + "/all.pb"] + paths)
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/all.pb"))
        let expected = try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
        let actual = ProtoCompiler(importPaths: [root]).compile(paths)
        XCTAssertEqual(actual.diagnostics, [])
        XCTAssertEqual(actual.files.map(\.name), expected.file.map(\.name))
        XCTAssertTrue(actual.fileDescriptorSet == expected, "descriptor sets differ")
        print("WHOLE dissectors: \(actual.files.count) files in one compilation, equal: \(actual.fileDescriptorSet == expected)")
    }
}
