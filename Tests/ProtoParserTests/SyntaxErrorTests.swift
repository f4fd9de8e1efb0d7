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
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:2:8: Import \"missing.proto\" was not found or had errors."])
        XCTAssertEqual(c.files.map(\.name), ["b.proto"])
    }

    func testImportCycle() {
        let c = compile([
            "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\n",
            "b.proto": "syntax = \"proto3\";\nimport \"a.proto\";\n",
        ], ["a.proto"])
        XCTAssertTrue(c.diagnostics.map(\.description).contains("b.proto:2:8: File recursively imports itself: a.proto -> b.proto -> a.proto"), "\(c.diagnostics)")
        XCTAssertEqual(c.files.count, 0)
    }

    func testUnknownOption() {
        let c = compile(["a.proto": "syntax = \"proto3\";\nmessage A {\n  int32 a = 1 [bogus = true];\n}\n"], ["a.proto"])
        XCTAssertEqual(c.diagnostics.map(\.description), ["a.proto:3:9: Option \"bogus\" unknown."])
    }
}
