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
        let r = TestSupport.assertSameAsReference("FIXTURES \(name)", files: files, importPaths: importPaths, command: command)
        XCTAssertEqual(r.skipped, [], "reference compiler rejected fixtures")
    }

    func testFixturesWithSystemProtoc() throws {
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
        check("protoc-3.21", files: ["fx/proto2_features.proto", "fx/proto3_features.proto", "fx/deep/pkg/names.proto", "fx/proto3_extensions.proto"],
              importPaths: [fixtures, "/usr/include"], command: (protoc, []))
    }

    func testFixturesWithGrpcTools() throws {
        guard let tools = TestSupport.requiredGrpcTools() else { return }
        check("grpc_tools", files: ["fx/proto2_features.proto", "fx/proto3_features.proto", "fx/editions_features.proto", "fx/deep/pkg/names.proto", "fx/deep/pkg/editions_names.proto", "fx/proto3_extensions.proto"],
              importPaths: [fixtures, tools.dir + "/_proto"], command: TestSupport.grpcToolsCommand(tools))
    }
}
