import Foundation
import XCTest
@testable import ProtoParser

/// Sources the reference compiler rejects must produce diagnostics here too
/// (and no files for the broken input).
final class RejectionTests: XCTestCase {
    static let cases: [(String, String)] = [
        ("duplicate message", "syntax = \"proto3\";\nmessage A {}\nmessage A {}\n"),
        ("duplicate field name", "syntax = \"proto3\";\nmessage A { int32 a = 1; string a = 2; }\n"),
        ("field number zero", "syntax = \"proto3\";\nmessage A { int32 a = 0; }\n"),
        ("reserved implementation range", "syntax = \"proto3\";\nmessage A { int32 a = 19000; }\n"),
        ("field number too large", "syntax = \"proto3\";\nmessage A { int32 a = 536870912; }\n"),
        ("bad enum default", "syntax = \"proto2\";\nenum E { X = 1; }\nmessage A { optional E e = 1 [default = Y]; }\n"),
        ("unknown type", "syntax = \"proto3\";\nmessage A { B b = 1; }\n"),
        ("extend enum", "syntax = \"proto2\";\nenum E { X = 1; }\nextend E { optional int32 x = 1; }\n"),
        ("extension outside ranges", "syntax = \"proto2\";\nmessage A { extensions 100 to 200; }\nextend A { optional int32 x = 1; }\n"),
        ("duplicate extension number", "syntax = \"proto2\";\nmessage A { extensions 100 to 200; }\nextend A { optional int32 x = 100; optional int32 y = 100; }\n"),
        ("proto3 enum first value nonzero", "syntax = \"proto3\";\nenum E { X = 1; }\n"),
        ("unknown option", "syntax = \"proto3\";\noption bogus = 1;\n"),
        ("option type mismatch", "syntax = \"proto3\";\noption java_package = 5;\n"),
        ("option unknown enum value", "syntax = \"proto3\";\noption optimize_for = FAST;\n"),
        ("float map key", "syntax = \"proto3\";\nmessage A { map<float, int32> m = 1; }\n"),
        ("enum value scoping clash", "syntax = \"proto3\";\nenum E { X = 0; }\nenum F { X = 0; }\n"),
        ("reserved number used", "syntax = \"proto3\";\nmessage A { reserved 1; int32 a = 1; }\n"),
        ("reserved name used", "syntax = \"proto3\";\nmessage A { reserved \"a\"; int32 a = 1; }\n"),
        ("default on repeated", "syntax = \"proto2\";\nmessage A { repeated int32 a = 1 [default = 1]; }\n"),
        ("default in proto3", "syntax = \"proto3\";\nmessage A { int32 a = 1 [default = 1]; }\n"),
        ("group in proto3", "syntax = \"proto3\";\nmessage A { optional group G = 1 {} }\n"),
        ("label in oneof", "syntax = \"proto2\";\nmessage A { oneof o { optional int32 a = 1; } }\n"),
        ("message default", "syntax = \"proto2\";\nmessage B {}\nmessage A { optional B b = 1 [default = x]; }\n"),
        ("self import", "syntax = \"proto3\";\nimport \"t.proto\";\n"),
        ("missing import", "syntax = \"proto3\";\nimport \"nope.proto\";\n"),
        ("duplicate enum number without alias", "syntax = \"proto3\";\nenum E { A = 0; B = 0; }\n"),
        ("json name conflict", "syntax = \"proto3\";\nmessage M { int32 foo_bar = 1; int32 fooBar = 2; }\n"),
        ("overlapping extension ranges", "syntax = \"proto2\";\nmessage A { extensions 1 to 10; extensions 5 to 20; }\n"),
        ("repeated option already set", "syntax = \"proto3\";\noption java_package = \"a\";\noption java_package = \"b\";\n"),
        ("string without quotes end", "syntax = \"proto3\";\nmessage A { string s = 1 [json_name = \"x]; }\n"),
        ("integer out of range", "syntax = \"proto2\";\nmessage A { optional int32 a = 1 [default = 2147483648]; }\n"),
        ("unsigned negative default", "syntax = \"proto2\";\nmessage A { optional uint32 a = 1 [default = -1]; }\n"),
        ("map in oneof", "syntax = \"proto3\";\nmessage A { oneof o { map<string, string> m = 1; } }\n"),
        ("unknown syntax", "syntax = \"proto5\";\n"),
        ("type is a field", "syntax = \"proto3\";\nmessage A { int32 b = 1; b c = 2; }\n"),
        ("streaming keyword misuse", "syntax = \"proto3\";\nmessage M {}\nservice S { rpc R(M) returns M; }\n"),
        ("json_name on extension", "syntax = \"proto2\";\nmessage A { extensions 1 to 10; }\nextend A { optional int32 x = 1 [json_name = \"y\"]; }\n"),
        ("identifier reserved name in proto3", "syntax = \"proto3\";\nmessage A { reserved foo; }\n"),
        ("rpc input not message", "syntax = \"proto3\";\nenum E { Z = 0; }\nservice S { rpc R(E) returns (E); }\n"),
    ]

    func testRejectedSourcesYieldDiagnostics() throws {
        guard let protoc = TestSupport.requiredSystemProtoc() else { return }
        let dir = TestSupport.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var missed: [String] = []
        var notRejectedByReference: [String] = []
        for (name, source) in RejectionTests.cases {
            try source.write(toFile: dir + "/t.proto", atomically: true, encoding: .utf8)
            let r = TestSupport.run(protoc, ["-I" + dir, "-o" + dir + "/out.pb", "t.proto"])
            if r.status == 0 {
                notRejectedByReference.append(name)
                continue
            }
            let c = ProtoCompiler(loader: { $0 == "t.proto" ? source : nil }).compile(["t.proto"])
            if c.diagnostics.isEmpty || c.files.contains(where: { $0.name == "t.proto" }) {
                missed.append(name)
            }
        }
        print("REJECTIONS: \(RejectionTests.cases.count - missed.count - notRejectedByReference.count) of \(RejectionTests.cases.count - notRejectedByReference.count) rejected sources diagnosed; missed: \(missed); accepted by reference: \(notRejectedByReference)")
        XCTAssertEqual(notRejectedByReference, [])
        XCTAssertEqual(missed, [])
    }
}
