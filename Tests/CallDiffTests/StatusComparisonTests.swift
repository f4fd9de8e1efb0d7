import ByteStream
import CallDiff
@testable import GRPC
import Testing
import WireCore

/// How `diff` compares two calls' statuses: a status grpcdump derived from the client's reset at
/// its deadline is the same outcome whatever the deadline was (the deadline is the grpc-timeout
/// header, compared there); every other difference of code, source or message is a change.
@Suite struct StatusComparisonTests {
    static func call(_ status: GRPCStatus, timeout: String) -> GRPCCall {
        var call = GRPCCall(connection: ConnectionID(rawValue: 1), streamID: 1, start: Timestamp(seconds: 0, nanoseconds: 0), packet: 1)
        call.path = "/s.S/M"
        call.requestHeaders = [(":path", "/s.S/M"), ("grpc-timeout", timeout)]
        call.status = status
        return call
    }

    static func deadline(_ text: String) -> GRPCStatus {
        GRPCStatus(code: .deadlineExceeded, message: "client reset the stream when its \(text) deadline passed", details: nil, source: .reset)
    }

    static func changes(_ a: GRPCCall, _ b: GRPCCall, ignoring headers: Set<String> = []) -> [String] {
        var options = DiffOptions()
        options.ignoredHeaders = headers
        return CaptureDiff.compare([a], [b], options: options).pairs.flatMap(\.changes).map(\.path)
    }

    @Test func aResetAtTheDeadlineIsTheSameOutcomeWhateverTheDeadline() {
        let a = Self.call(Self.deadline("199.99ms"), timeout: "199993u"), b = Self.call(Self.deadline("200.00ms"), timeout: "199998u")
        #expect(Self.changes(a, b) == ["request header grpc-timeout"])
        #expect(Self.changes(a, b, ignoring: ["grpc-timeout"]).isEmpty)
    }

    @Test func otherStatusDifferencesAreChanges() {
        let late = Self.call(Self.deadline("200.00ms"), timeout: "1S")
        let cancelled = Self.call(GRPCStatus(code: .cancelled, message: "stream reset with CANCEL", details: nil, source: .reset), timeout: "1S")
        let sent = Self.call(GRPCStatus(code: .deadlineExceeded, message: "deadline exceeded", details: nil, source: .trailers), timeout: "1S")
        let sentOther = Self.call(GRPCStatus(code: .deadlineExceeded, message: "too slow", details: nil, source: .trailers), timeout: "1S")
        #expect(Self.changes(late, cancelled) == ["status"])
        #expect(Self.changes(late, sent) == ["status"])
        #expect(Self.changes(sent, sentOther) == ["status"])
        #expect(Self.changes(sent, sent).isEmpty)
    }
}
