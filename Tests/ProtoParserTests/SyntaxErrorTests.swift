import Foundation
import XCTest
@testable import ProtoParser

/// Broken sources produce exact `file:line:column: message` diagnostics.
final class SyntaxErrorTests: XCTestCase {
    private func diagnostics(_ source: String) -> [String] {
        ProtoFileParser.parse(source, path: "t.proto").diagnostics.map(\.description)
    }

    private func compile(_ files: [String: String], _ roots: [String]) -> ProtoCompilation {
        ProtoCompiler(loader: { files[$0] }).compile(roots)
    }

    func testMissingSemicolon() {
        XCTAssertEqual(diagnostics("syntax = \"proto3\";\nmessage A {\n  int32 a = 1\n}\n"),
                       ["t.proto:4:1: Expected \";\"."])
    }

    func testMissingLabelInProto2() {
        XCTAssertEqual(diagnostics("syntax = \"proto2\";\nmessage A { int32 a = 1; }\n"),
                       ["t.proto:2:13: Expected \"required\", \"optional\", or \"repeated\"."])
    }

    func testBadTopLevel() {
        XCTAssertEqual(diagnostics("syntax = \"proto3\";\nfoo bar;\nmessage A {}\n"),
                       ["t.proto:2:1: Expected top-level statement (e.g. \"message\")."])
    }

    func testUnknownSyntax() {
        XCTAssertEqual(diagnostics("syntax = \"proto4\";\n"),
                       ["t.proto:1:10: Unrecognized syntax identifier \"proto4\".  This parser only recognizes \"proto2\" and \"proto3\"."])
    }

    func testUnterminatedMessage() {
        XCTAssertEqual(diagnostics("syntax = \"proto3\";\nmessage A {\n  string s = 1;\n"),
                       ["t.proto:4:1: Reached end of input in message definition (missing '}')."])
    }

    func testRequiredInProto3() {
        XCTAssertEqual(diagnostics("syntax = \"proto3\";\nmessage A { required int32 a = 1; }\n"),
                       ["t.proto:2:13: Required fields are not allowed in proto3."])
    }

    func testUndefinedType() {
        let c = compile(["a.proto": "syntax = \"proto3\";\npackage p;\nmessage A {\n  Missing m = 1;\n}\n"], ["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:4:11: \"Missing\" is not defined."])
        XCTAssertEqual(c.files.count, 0)
    }

    func testDuplicateFieldNumber() {
        let c = compile(["a.proto": "syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}\n"], ["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:4:9: Field number 1 has already been used in \"A\" by field \"a\"."])
    }

    func testMissingImportKeepsOtherFiles() {
        let c = compile([
            "a.proto": "syntax = \"proto3\";\nimport \"missing.proto\";\nmessage A {}\n",
            "b.proto": "syntax = \"proto3\";\nmessage B {}\n",
        ], ["a.proto", "b.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:2:1: Import \"missing.proto\" was not found or had errors."])
        XCTAssertEqual(c.files.map(\.name), ["b.proto"])
    }

    func testImportCycle() {
        let c = compile([
            "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\n",
            "b.proto": "syntax = \"proto3\";\nimport \"a.proto\";\n",
        ], ["a.proto"])
        XCTAssertTrue(c.diagnostics.map(\.description).contains("b.proto:2:1: File recursively imports itself: a.proto -> b.proto -> a.proto"), "\(c.diagnostics)")
        XCTAssertEqual(c.files.count, 0)
    }

    func testOptionErrorsAtTheirPosition() {
        let c = compile(["a.proto": "syntax = \"proto3\";\npackage p;\noption java_package = \"x\";\noption optimize_for = FAST;\nenum E {\n  Z = 0 [deprecated = 3];\n}\n"], ["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), [
            "a.proto:4:8: Enum type \"google.protobuf.FileOptions.OptimizeMode\" has no value named \"FAST\" for option \"optimize_for\".",
            "a.proto:6:10: Value must be \"true\" or \"false\" for boolean option \"deprecated\".",
        ])
    }

    func testUnknownOption() {
        let c = compile(["a.proto": "syntax = \"proto3\";\nmessage A {\n  int32 a = 1 [bogus = true];\n}\n"], ["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:3:16: Option \"bogus\" unknown."])
    }
}

/// Link-time checks.
final class LinkErrorTests: XCTestCase {
    func testTypeFromFileNotImported() {
        let files = [
            "a.proto": "syntax = \"proto3\";\npackage p;\nimport \"b.proto\";\nmessage A {\n  C c = 1;\n}\n",
            "b.proto": "syntax = \"proto3\";\npackage p;\nimport \"c.proto\";\n",
            "c.proto": "syntax = \"proto3\";\npackage p;\nmessage C {}\n",
        ]
        let c = ProtoCompiler(loader: { files[$0] }).compile(["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:5:5: \"C\" seems to be defined in \"c.proto\", which is not imported by \"a.proto\".  To use it here, please add the necessary import."])
        XCTAssertEqual(c.files.map(\.name), ["c.proto", "b.proto"])
    }

    func testPublicImportIsVisible() {
        let files = [
            "a.proto": "syntax = \"proto3\";\npackage p;\nimport \"b.proto\";\nmessage A {\n  C c = 1;\n}\n",
            "b.proto": "syntax = \"proto3\";\npackage p;\nimport public \"c.proto\";\n",
            "c.proto": "syntax = \"proto3\";\npackage p;\nmessage C {}\n",
        ]
        let c = ProtoCompiler(loader: { files[$0] }).compile(["a.proto"])
        XCTAssertEqual(c.diagnostics, [])
        XCTAssertEqual(c.files.map(\.name), ["c.proto", "b.proto", "a.proto"])
        XCTAssertEqual(c.files[2].messageType[0].field[0].typeName, ".p.C")
    }

    func testScopedResolutionFailure() {
        let files = ["a.proto": "syntax = \"proto2\";\npackage p;\nmessage Opt { message Inner {} }\nmessage S {\n  message Opt {}\n  optional Opt.Inner i = 1;\n}\n"]
        let c = ProtoCompiler(loader: { files[$0] }).compile(["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:6:22: \"Opt.Inner\" is not defined."])
    }

    func testFilesystemPathIsMappedToImportPath() throws {
        let dir = TestSupport.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/x", withIntermediateDirectories: true)
        try "syntax = \"proto3\";\npackage x;\nmessage M {}\n".write(toFile: dir + "/x/m.proto", atomically: true, encoding: .utf8)
        let c = ProtoCompiler(importPaths: [dir]).compile([dir + "/x/m.proto"])
        XCTAssertEqual(c.diagnostics, [])
        XCTAssertEqual(c.files.map(\.name), ["x/m.proto"])
    }
}
