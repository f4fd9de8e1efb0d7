import Foundation
import SwiftProtobuf
import XCTest
@testable import ProtoParser

/// Every corpus file compiled by the reference protoc and by `ProtoCompiler`
/// must give equal `FileDescriptorProto`s.
final class CorpusTests: XCTestCase {
    private func check(_ name: String, files: [String], importPaths: [String], command: (String, [String])) {
        let r = TestSupport.assertSameAsReference("CORPUS \(name)", files: files, importPaths: importPaths, command: command)
        XCTAssertGreaterThan(r.equal, 0, "\(name): nothing compared")
    }

    func testDissectorsCorpus() throws {
        let root = TestSupport.dissectors
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
        check("dissectors", files: files, importPaths: [root], command: (protoc, []))
    }

    func testGrpcProtoCorpus() throws {
        let root = "/usr/share/grpc-proto"
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
        check("grpc-proto", files: files, importPaths: [root, "/usr/include"], command: (protoc, []))
    }

    func testSystemIncludeCorpus() throws {
        let root = "/usr/include"
        let files = TestSupport.protoFiles(under: root + "/google/protobuf").filter { !$0.contains("/") }.map { "google/protobuf/" + $0 }
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)/google/protobuf")
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
        check("usr-include", files: files, importPaths: [root], command: (protoc, []))
    }

    func testGrpcToolsCorpus() throws {
        guard let tools = TestSupport.requiredGrpcTools() else { return }
        let root = tools.dir + "/_proto"
        let files = TestSupport.protoFiles(under: root)
        check("grpc_tools", files: files, importPaths: [root], command: TestSupport.grpcToolsCommand(tools))
    }
}

/// The test protos shipped with the protocol buffers sources inside the
/// swift-protobuf dependency checkout (custom options, editions, groups…),
/// compared against the newest reference compiler. Skipped when absent.
final class UpstreamTestProtoTests: XCTestCase {
    func testUpstreamTestProtos() throws {
        let root = TestSupport.packageRoot + "/.build/checkouts/swift-protobuf/Sources/protobuf/protobuf/src"
        // Later editions (2026, "UNSTABLE") are rejected by the reference compiler too, as expected.
        let files = TestSupport.protoFiles(under: root + "/google/protobuf").filter { !$0.contains("/") }.map { "google/protobuf/" + $0 }
        try XCTSkipIf(files.isEmpty, "no dependency checkout at \(root)")
        guard let tools = TestSupport.requiredGrpcTools() else { return }
        TestSupport.assertSameAsReference("UPSTREAM", files: files, importPaths: [root], command: TestSupport.grpcToolsCommand(tools))
    }
}

/// The runtime library's own test protos (proto2/proto3: naming edge cases,
/// groups, message sets, extensions), compared against both reference
/// compilers. Skipped when the dependency checkout is absent.
final class RuntimeTestProtoTests: XCTestCase {
    func testRuntimeTestProtos() throws {
        let checkout = TestSupport.packageRoot + "/.build/checkouts/swift-protobuf/Protos/Tests/SwiftProtobufTests"
        let files = TestSupport.protoFiles(under: checkout).filter {
            (try? String(contentsOfFile: checkout + "/" + $0, encoding: .utf8))?.contains("edition = \"2026\"") != true
        }
        try XCTSkipIf(files.isEmpty, "no dependency checkout at \(checkout)")
        if let protoc = TestSupport.systemProtoc() {
            TestSupport.assertSameAsReference("RUNTIME protoc-3.21", files: files, importPaths: [checkout, "/usr/include"], command: (protoc, []))
        }
        if let tools = TestSupport.grpcTools() {
            TestSupport.assertSameAsReference("RUNTIME grpc_tools", files: files, importPaths: [checkout, tools.dir + "/_proto"],
                                              command: TestSupport.grpcToolsCommand(tools))
        }
    }
}

/// All files of a corpus in one compilation, as one reference compiler run.
final class WholeCorpusTests: XCTestCase {
    func testDissectorsInOneCompilation() throws {
        let root = TestSupport.dissectors
        let files = TestSupport.protoFiles(under: root)
        try XCTSkipIf(files.isEmpty, "no corpus at \(root)")
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
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
