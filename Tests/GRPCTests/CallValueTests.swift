import ByteStream
@testable import GRPC
import Testing
import WireCore

/// A call is a value: its fields live behind one shared reference, and changing a copy changes
/// only that copy.
@Test func changingACopyLeavesTheOriginal() {
    var original = GRPCCall(connection: ConnectionID(rawValue: 1), streamID: 3, start: Timestamp(seconds: 1, nanoseconds: 0), packet: 7)
    original.path = "/a.B/C"
    original.requestHeaders = [(":path", "/a.B/C")]
    var copy = original
    copy.path = "/x.Y/Z"
    copy.requestHeaders.append(("te", "trailers"))
    copy.bodyBytes[1] += 5
    #expect(original.path == "/a.B/C" && copy.path == "/x.Y/Z")
    #expect(original.requestHeaders.count == 1 && copy.requestHeaders.count == 2)
    #expect(original.bodyBytes == [0, 0] && copy.bodyBytes == [0, 5])
    #expect(original.serviceAndMethod?.method == "C" && copy.serviceAndMethod?.method == "Z")
    // And changing the original afterwards leaves the copy.
    original.streamID = 9
    #expect(copy.streamID == 3 && original.streamID == 9)
}
