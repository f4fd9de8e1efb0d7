import Foundation
import ProtoParser
import Protobuf
import ReferenceProtos
import Render
import Schema
import SwiftProtobuf
import Testing

/// The decoder against SwiftProtobuf's generated code: messages built and serialized by the code
/// protoc generated for dissectors/reference (Sources/ReferenceProtos), decoded with the schema our
/// own parser compiled from the same .proto files, must give the JSON the generated code writes.
@Suite struct GeneratedCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let pool: DescriptorPool = {
        let compilation = ProtoCompiler(importPaths: [root.appendingPathComponent("dissectors").path])
            .compile(["reference/userservice.proto", "reference/files.proto", "google/rpc/error_details.proto", "google/protobuf/struct.proto"])
        precondition(compilation.diagnostics.isEmpty, "\(compilation.diagnostics)")
        return DescriptorPool(files: compilation.files)
    }()

    static func json(_ text: String) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! NSObject
    }

    /// Decodes `message` as `typeName` and compares its proto3 JSON with the generated code's.
    func expectSameJSON<M: SwiftProtobuf.Message>(_ message: M, _ typeName: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try #require(SchemaDecoder(pool: Self.pool).decode(bytes[...], as: typeName), sourceLocation: sourceLocation)
        #expect(decoded.isClean, "\(decoded.problems)", sourceLocation: sourceLocation)
        #expect(decoded.unknownFields == 0, sourceLocation: sourceLocation)
        let ours = ProtoJSON.encode(decoded.value)
        let theirs = try message.jsonString()
        #expect(try Self.json(ours) == Self.json(theirs), "ours:   \(ours)\ntheirs: \(theirs)", sourceLocation: sourceLocation)
        let preserved = ProtoJSON.encode(decoded.value, preserveNames: true)
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        let theirsPreserved = try message.jsonString(options: options)
        #expect(try Self.json(preserved) == Self.json(theirsPreserved), "ours:   \(preserved)\ntheirs: \(theirsPreserved)", sourceLocation: sourceLocation)
        // The JSON writer that skips the value tree writes the same text.
        for (preserveNames, tree) in [(false, ours), (true, preserved)] {
            var direct = JSONBuffer()
            _ = SchemaDecoder(pool: Self.pool).writeJSON(bytes[...], as: typeName, preserveNames: preserveNames, into: &direct)
            #expect(direct.text == tree, sourceLocation: sourceLocation)
        }
    }

    @Test func userWithEveryFieldKind() throws {
        let user = Userservice_User.with {
            $0.id = 9_007_199_254_740_993  // beyond a JSON double's exact range: a string in proto3 JSON
            $0.username = "ada ✓"
            $0.email = "ada@example.com"
            $0.active = true
            $0.createdAt = .with { $0.seconds = 1_700_000_000; $0.nanos = 120_000_000 }
            $0.role = .admin
            $0.tags = ["a", "", "c\"d"]
            $0.nickname = ""  // proto3 optional: present although empty
            $0.address = .with { $0.street = "1 Main St"; $0.city = "Zürich" }
            $0.attributes = ["team": "core", "": "empty key"]
            $0.score = -0.1
            $0.avatar = Data([0, 1, 2, 0xFF, 0xFE])
            $0.luckyNumbers = [7, -1, 2_147_483_647, -2_147_483_648]
        }
        try expectSameJSON(user, "userservice.User")
    }

    @Test func negativeIdAndUnknownEnumNumber() throws {
        var user = Userservice_User.with { $0.id = -5 }
        user.role = .UNRECOGNIZED(17)
        try expectSameJSON(user, "userservice.User")
    }

    @Test func streamsOfTheReferenceServices() throws {
        try expectSameJSON(Userservice_CreateUsersResponse.with {
            $0.users = [.with { $0.id = 1 }, .with { $0.username = "b"; $0.role = .auditor }]
            $0.created = 2
        }, "userservice.CreateUsersResponse")
        try expectSameJSON(Userservice_ChatMessage.with { $0.kind = .text; $0.user = "u"; $0.text = "hi"; $0.sentAt = .with { $0.seconds = -1 } }, "userservice.ChatMessage")
        try expectSameJSON(Reference_UploadSummary.with { $0.name = "f"; $0.size = UInt64.max; $0.chunks = UInt32.max; $0.crc32 = 0xDEAD_BEEF }, "reference.UploadSummary")
        try expectSameJSON(Reference_Metric.with {
            $0.name = "cpu"; $0.value = 1e300; $0.labels = ["host": "a"]; $0.samples = [0.1, -2.5, 3.4e38, 1e-45]
        }, "reference.Metric")
        try expectSameJSON(Reference_LogEntry.with { $0.level = .warning; $0.message = "m"; $0.sequence = 1 << 63; $0.time = .with { $0.nanos = 1000 } }, "reference.LogEntry")
        try expectSameJSON(Reference_FileChunk.with { $0.name = "x"; $0.offset = 65536; $0.data = Data(repeating: 0xAB, count: 100) }, "reference.FileChunk")
    }

    @Test func wellKnownTypesInsideMessages() throws {
        let value: Google_Protobuf_Value = .init(structValue: .with {
            $0.fields = ["n": .init(nilLiteral: ()), "list": .init(listValue: [1, "two", true, .init(structValue: .init())]), "x": 1.5]
        })
        try expectSameJSON(value, "google.protobuf.Value")
        let any = try Google_Protobuf_Any(message: Userservice_User.with { $0.id = 3; $0.createdAt = .with { $0.seconds = 5 } })
        try expectSameJSON(any, "google.protobuf.Any")
        let anyTimestamp = try Google_Protobuf_Any(message: Google_Protobuf_Timestamp(seconds: 1, nanos: 5))
        try expectSameJSON(anyTimestamp, "google.protobuf.Any")
    }
}
