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
        let root = "/work/main/dissectors"
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
