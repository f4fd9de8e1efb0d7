import Foundation
import SwiftProtobuf
import XCTest
@testable import ProtoParser

/// Hand-written sources covering constructs the corpora lack (groups,
/// defaults, custom and aggregate options, proto3 optional, editions),
/// compared against both reference compilers.
final class FixtureTests: XCTestCase {
    private var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }

    private func check(_ name: String, files: [String], importPaths: [String], command: (String, [String])) {
        let r = TestSupport.compareCorpus(files: files, importPaths: importPaths, command: command)
        print("FIXTURES \(name): \(r.equal) equal, \(r.different.count) different, \(r.skipped.count) rejected by reference of \(files.count)")
        if let d = r.firstDiff { print(d) }
        XCTAssertEqual(r.acceptedButRejected, [], "\(name): rejected by the reference compiler but accepted")
        XCTAssertEqual(r.different, [])
        XCTAssertEqual(r.skipped, [], "reference compiler rejected fixtures")
    }

    func testFixturesWithSystemProtoc() throws {
        guard let protoc = TestSupport.systemProtoc() else {
            XCTFail("protoc not found: install the Debian package protobuf-compiler")
            return
        }
        check("protoc-3.21", files: ["fx/proto2_features.proto", "fx/proto3_features.proto", "fx/deep/pkg/names.proto", "fx/proto3_extensions.proto"],
              importPaths: [fixtures, "/usr/include"], command: (protoc, []))
    }

    func testFixturesWithGrpcTools() throws {
        guard let tools = TestSupport.grpcTools() else {
            XCTFail("grpc_tools not found: pip install grpcio-tools==1.85.1")
            return
        }
        check("grpc_tools", files: ["fx/proto2_features.proto", "fx/proto3_features.proto", "fx/editions_features.proto", "fx/deep/pkg/names.proto", "fx/deep/pkg/editions_names.proto", "fx/proto3_extensions.proto"],
              importPaths: [fixtures, tools.dir + "/_proto"], command: (tools.python, ["-m", "grpc_tools.protoc"]))
    }
}
