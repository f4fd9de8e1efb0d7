import GRPC
import WireCore
import Testing

@Suite struct HeaderValueTests {
    @Test(arguments: [
        ("1H", Int64(3_600_000_000_000)), ("2M", 120_000_000_000), ("30S", 30_000_000_000), ("100m", 100_000_000),
        ("5u", 5_000), ("7n", 7), ("99999999S", 99_999_999_000_000_000),
    ])
    func validTimeouts(text: String, nanoseconds: Int64) {
        #expect(GRPCTimeout.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "S", "1", "1s", "123456789S", "-1S", "1.5S", " 1S"])
    func invalidTimeouts(text: String) {
        #expect(GRPCTimeout.parse(text) == nil)
    }

    @Test(arguments: [
        ("plain", "plain", false), ("%41%62", "Ab", false), ("caf%C3%A9", "café", false), ("50%", "50%", true),
        ("%zz", "%zz", true), ("%4", "%4", true), ("%%41", "%A", true),
    ])
    func percentDecoding(text: String, decoded: String, invalid: Bool) {
        let result = PercentDecoding.decode(text)
        #expect(result.text == decoded && result.hadInvalidSequence == invalid)
    }

    @Test(arguments: [("", [UInt8]()), ("AA", [0]), ("AA==", [0]), ("AAEC", [0, 1, 2]), ("_-8", [0xFF, 0xEF]), ("/+8=", [0xFF, 0xEF])])
    func base64(text: String, bytes: [UInt8]) throws {
        #expect(try Base64.decode(text).get() == bytes)
    }

    @Test func base64RoundTripAndErrors() throws {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(($0 * 37) & 0xFF) }
            #expect(try Base64.decode(Base64.encode(bytes)).get() == bytes)
        }
        #expect(throws: Base64.InvalidCharacter.self) { try Base64.decode("ab*c").get() }
        #expect(throws: Base64.InvalidCharacter.self) { try Base64.decode("A").get() }
        #expect(throws: Base64.InvalidCharacter.self) { try Base64.decode("AA=A").get() }
    }

    @Test func statusCodesAndHTTPMapping() {
        #expect((0...16).map { StatusCode(rawValue: $0).description }.last == "UNAUTHENTICATED")
        #expect(StatusCode(rawValue: 99).description == "CODE_99")
        #expect(StatusCode(nameOrNumber: "not_found") == .notFound && StatusCode(nameOrNumber: "14") == .unavailable)
        #expect([400, 401, 403, 404, 429, 502, 503, 504, 500].map { StatusCode.fromHTTPStatus($0) }
            == [.internal, .unauthenticated, .permissionDenied, .unimplemented, .unavailable, .unavailable, .unavailable, .unavailable, .unknown])
    }
}
