import Protobuf
import Testing

/// google.rpc.Status as serialized by googleapis-common-protos (Python), decoded by hand schemas.
@Suite struct GoogleRPCStatusTests {
    @Test func everyStandardDetailTypeDecodes() throws {
        let status = GoogleRPC.status(try fixture("status-details-googleapis.pb"))
        let text = ProtoValueText.lines(status)
        #expect(Array(text.prefix(2)) == ["code: 5", "message: \"user 42 not found ✗ (50% sure)\""])
        let types = text.filter { $0.hasPrefix("  @type:") }.map { $0.replacingOccurrences(of: "  @type: \"type.googleapis.com/google.rpc.", with: "") }
        #expect(types == ["BadRequest\"", "ErrorInfo\"", "RetryInfo\"", "DebugInfo\"", "QuotaFailure\"", "PreconditionFailure\"",
                          "ResourceInfo\"", "Help\"", "LocalizedMessage\"", "RequestInfo\""])
        #expect(!text.contains { $0.contains("!") })
        for expected in ["    reason: \"INVALID_ID\"", "      locale: \"fr-FR\"", "      message: \"doit être positif\"",
                         "  retry_delay: 1.500s", "  metadata[\"user\"]: \"42\"", "  stack_entries: [\"find()\", \"main()\"]", "    url: \"https://example.com/help\"",
                         "  serving_data: \"node-3\""] {
            #expect(text.contains(expected), "\(expected)")
        }
    }

    @Test func unknownDetailTypesAndWrongWireTypesStayRaw() {
        // Status{code: 3, details: [Any{type_url: "type.example/x.Y", value: {1: 7}}], 2: varint (message should be a string)}
        let typeURL = Array("type.example/x.Y".utf8)
        let any: [UInt8] = [0x0A, UInt8(typeURL.count)] + typeURL + [0x12, 0x02, 0x08, 0x07]
        let bytes: [UInt8] = [0x08, 0x03, 0x10, 0x01, 0x1A, UInt8(any.count)] + any
        let text = ProtoValueText.lines(GoogleRPC.status(bytes))
        #expect(text[0] == "code: 3")
        #expect(text[1].hasPrefix("2: 1  varint") && text[1].hasSuffix("! wire type varint does not fit the schema's string"))
        #expect(text.contains("  @type: \"type.example/x.Y\""))
        #expect(text.contains { $0.hasPrefix("  2: message  len 2") && $0.hasSuffix("! type x.Y not known") })
    }

    @Test func garbageIsReportedNotFatal() {
        let text = ProtoValueText.lines(GoogleRPC.status([0x08, 0x05, 0x12, 0x40, 0x61]))
        #expect(text.first == "code: 5")
        #expect(text.last?.hasPrefix("!: \"field 2: length 64 runs past the end") == true)
    }

    @Test(arguments: [(1, 500_000_000, "1.500s"), (0, 0, "0s"), (-2, -5000, "-2.000005s"), (3, 1, "3.000000001s")])
    func durations(seconds: Int, nanos: Int, expected: String) {
        var bytes: [UInt8] = []
        for (number, value) in [(1, Int64(seconds)), (2, Int64(nanos))] where value != 0 {
            bytes.append(UInt8(number << 3))
            var raw = UInt64(bitPattern: value)
            while raw >= 0x80 { bytes.append(UInt8(raw & 0x7F) | 0x80); raw >>= 7 }
            bytes.append(UInt8(raw))
        }
        let retry = [0x0A, UInt8(bytes.count)] + bytes
        #expect(ProtoValueText.lines(GoogleRPC.decoder.decode(retry[...], as: "google.rpc.RetryInfo")!) == ["retry_delay: \(expected)"])
    }
}
