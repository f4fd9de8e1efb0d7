import Annotate
import Foundation
import ProtoParser
import Render
import Schema
import Testing

/// Field names from a schema, checked against protoscope's own renderings of the same messages
/// with the same schema (its `PrintFieldNames` goldens: `N: value  # name`).
@Suite struct ProtoscopeNamesTests {
    static let blobs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CLITests/Goldens/blobs")

    static let schema: PoolAnnotationSchema = {
        let compilation = ProtoCompiler(importPaths: [blobs.path]).compile(["unittest.proto"])
        precondition(compilation.diagnostics.isEmpty, "\(compilation.diagnostics)")
        return PoolAnnotationSchema(MessageTypes(pool: DescriptorPool(files: compilation.files)))
    }()

    /// Top-level `N: …  # name` lines of a protoscope golden (not `N: {1: 120}  # name`, where the
    /// name is that of the field inside).
    static func protoscopeNames(_ golden: String) throws -> [Int: String] {
        var names: [Int: String] = [:]
        for line in try String(contentsOf: blobs.appendingPathComponent(golden), encoding: .utf8).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let number = Int(line[..<colon]), let hash = line.range(of: "# "),
                  !line[colon...].dropFirst().contains(where: { $0 == ":" }) || line.hasSuffix("{") else { continue }
            let name = line[hash.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { names[number] = String(name) }
        }
        return names
    }

    @Test func namesMatchProtoscope() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.blobs.appendingPathComponent("message.pb")))
        let ranges = ProtobufAnnotator(schema: Self.schema).annotate(bytes[...], type: "unittest.TestAllTypes")
        var ours: [Int: String] = [:]
        for range in ranges where range.kind == .tag && range.depth == 0 {
            if let field = range.field, let name = range.name { ours[field] = name }
        }
        let theirs = try Self.protoscopeNames("message-fields.pb.golden")
        #expect(theirs.count >= 40)
        for (number, name) in theirs { #expect(ours[number] == name, "field \(number)") }
        #expect(!ranges.contains { $0.kind == .error })
    }

    @Test func everyByteIsLabelledOnceAtItsDepth() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.blobs.appendingPathComponent("message.pb")))
        let ranges = ProtobufAnnotator(schema: Self.schema).annotate(bytes[...], type: "unittest.TestAllTypes")
        // Leaf ranges (everything but the zero-length markers) tile the blob exactly.
        var next = 0
        for range in ranges where range.length > 0 {
            #expect(range.offset == next, "\(range)")
            next = range.offset + range.length
        }
        #expect(next == bytes.count)
    }
}
