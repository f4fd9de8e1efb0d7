import HTTP2
import Testing
import TestSupport
import WireCore

typealias F = HTTP2FrameBuilder

/// Decodes all frames in `bytes` fed in chunks of `chunk` bytes.
func decodeFrames(_ bytes: [UInt8], chunk: Int = .max, searching: Bool = false) -> [FrameDecoder.Output] {
    var decoder = FrameDecoder(searching: searching)
    var outputs: [FrameDecoder.Output] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + min(chunk, bytes.count))
        decoder.append(bytes[offset..<end], at: Int64(offset))
        while let output = decoder.next() { outputs.append(output) }
        offset = end
    }
    while let output = decoder.finish() { outputs.append(output) }
    return outputs
}

extension [FrameDecoder.Output] {
    var frames: [Frame] { compactMap { if case let .frame(f) = $0 { f } else { nil } } }
    var skipped: [(ByteSpan, String)] { compactMap { if case let .skipped(d) = $0 { (d.span!, d.message) } else { nil } } }
    var skipCodes: [String] { compactMap { if case let .skipped(d) = $0 { d.code } else { nil } } }
}

let everyFrameType: [UInt8] = F.settings([(1, 4096), (3, 100), (4, 1 << 20), (5, 16384), (6, 8192), (8, 1), (9, 1), (0x42, 7)])
    + F.settings(ack: true)
    + F.headers(stream: 1, block: [0x82, 0x86], endHeaders: false)
    + F.continuation(stream: 1, block: [0x84])
    + F.frame(type: 0x1, flags: 0x28, stream: 3, payload: [2] + [0x80, 0, 0, 1, 15] + [0x82] + [0, 0])  // PADDED|PRIORITY
    + F.data(stream: 1, Array("hello".utf8), endStream: true, padLength: 3)
    + F.frame(type: 0x2, stream: 5, payload: [0, 0, 0, 3, 200])
    + F.rstStream(stream: 3, code: 8)
    + F.frame(type: 0x5, flags: 0x4, stream: 1, payload: [0, 0, 0, 2, 0x82])
    + F.ping(0x0102_0304_0506_0708)
    + F.ping(0x0102_0304_0506_0708, ack: true)
    + F.goaway(lastStream: 3, code: 2, debug: "bye")
    + F.windowUpdate(stream: 1, increment: 1000)
    + F.frame(type: 0xA, stream: 0, payload: [0, 3] + Array("a.b".utf8) + Array("h2=\":443\"".utf8))
    + F.frame(type: 0xC, payload: [0, 5] + Array("https".utf8))
    + F.frame(type: 0x10, payload: [0, 0, 0, 1] + Array("u=1".utf8))
    + F.frame(type: 0xEE, flags: 0xFF, stream: 9, payload: [1, 2, 3])

@Suite struct FrameDecoderTests {
    @Test func everyTypeIsDecoded() {
        let frames = decodeFrames(everyFrameType).frames
        #expect(frames.map(\.type.description) == [
            "SETTINGS", "SETTINGS", "HEADERS", "CONTINUATION", "HEADERS", "DATA", "PRIORITY", "RST_STREAM", "PUSH_PROMISE",
            "PING", "PING", "GOAWAY", "WINDOW_UPDATE", "ALTSVC", "ORIGIN", "PRIORITY_UPDATE", "UNKNOWN(0xee)",
        ])
        #expect(frames.allSatisfy { $0.problems.isEmpty })
        guard case let .settings(settings) = frames[0].content else { Issue.record("settings"); return }
        #expect(settings.map(\.parameter.description) == [
            "HEADER_TABLE_SIZE", "MAX_CONCURRENT_STREAMS", "INITIAL_WINDOW_SIZE", "MAX_FRAME_SIZE", "MAX_HEADER_LIST_SIZE",
            "ENABLE_CONNECT_PROTOCOL", "NO_RFC7540_PRIORITIES", "UNKNOWN_SETTING(0x42)",
        ])
        guard case let .headers(pad, priority, fragment) = frames[4].content else { Issue.record("headers"); return }
        #expect(pad == 2 && priority?.exclusive == true && priority?.dependency == 1 && priority?.weight == 15 && Array(fragment) == [0x82])
        #expect(frames[4].header.flags.names(for: .headers) == ["PADDED", "PRIORITY"])
        guard case let .data(padLength, data) = frames[5].content else { Issue.record("data"); return }
        #expect(padLength == 3 && Array(data) == Array("hello".utf8))
        guard case let .rstStream(code) = frames[7].content else { Issue.record("rst"); return }
        #expect(code.description == "CANCEL")
        guard case let .pushPromise(_, promised, _) = frames[8].content else { Issue.record("push"); return }
        #expect(promised == 2)
        guard case let .goaway(last, error, debug) = frames[11].content else { Issue.record("goaway"); return }
        #expect(last == 3 && error == .internalError && Array(debug) == Array("bye".utf8))
        guard case let .altsvc(origin, value) = frames[13].content else { Issue.record("altsvc"); return }
        #expect(origin == "a.b" && value == "h2=\":443\"")
        #expect(frames[16].header.flags.names(for: frames[16].type) == ["0xff"])
        // Offsets are absolute in the stream.
        #expect(frames[1].streamOffset == Int64(9 + 48))
    }

    @Test func everySplitPointGivesTheSameFrames() {
        let whole = decodeFrames(everyFrameType).frames.map { ($0.streamOffset, $0.header.length) }
        for chunk in [1, 2, 3, 7, 9, 10, 64] {
            let split = decodeFrames(everyFrameType, chunk: chunk)
            #expect(split.frames.map { ($0.streamOffset, $0.header.length) }.elementsEqual(whole, by: ==), "chunk \(chunk)")
            #expect(split.skipped.isEmpty)
        }
    }

    @Test func everyTruncationIsReportedNotTrapped() {
        for length in 0..<everyFrameType.count {
            let outputs = decodeFrames(Array(everyFrameType.prefix(length)))
            let consumed = outputs.frames.reduce(0) { $0 + $1.wireLength }
            #expect(consumed + outputs.skipped.reduce(0) { $0 + $1.0.count } == length, "cut at \(length)")
        }
    }

    @Test(arguments: [
        (F.frame(type: 0x6, payload: [1, 2, 3]), "http2.ping.length"),
        (F.frame(type: 0x8, payload: [0, 0, 1]), "http2.window-update.length"),
        (F.windowUpdate(increment: 0), "http2.window-update.zero"),
        (F.frame(type: 0x3, stream: 1, payload: [0, 0]), "http2.rst-stream.length"),
        (F.frame(type: 0x2, stream: 1, payload: [0, 0, 0, 0]), "http2.priority.length"),
        (F.frame(type: 0x2, stream: 1, payload: [0, 0, 0, 1, 5]), "http2.priority.self"),
        (F.frame(type: 0x4, payload: [0, 1, 0, 0, 0]), "http2.settings.length"),
        (F.frame(type: 0x4, flags: 1, payload: [0, 1, 0, 0, 0, 0]), "http2.settings.ack-payload"),
        (F.settings([(2, 2)]), "http2.settings.value"),
        (F.settings([(4, 0x8000_0000)]), "http2.settings.value"),
        (F.settings([(5, 100)]), "http2.settings.value"),
        (F.frame(type: 0x0, flags: 0x8, stream: 1, payload: [10, 1, 2]), "http2.padding.too-long"),
        (F.frame(type: 0x0, flags: 0x8, stream: 1, payload: []), "http2.padding.short"),
        (F.data(stream: 0, [1]), "http2.stream-id.zero"),
        (F.frame(type: 0x6, stream: 1, payload: [UInt8](repeating: 0, count: 8)), "http2.stream-id.nonzero"),
        (F.frame(type: 0x7, payload: [0, 0, 0]), "http2.goaway.short"),
    ])
    func violationsAreAnnotatedAndDecodingGoesOn(frame: [UInt8], code: String) {
        let frames = decodeFrames(frame + F.ping(7)).frames
        #expect(frames.count == 2)
        #expect(frames.first?.problems.map(\.code).contains(code) == true, "\(frames.first?.problems.map(\.code) ?? [])")
        #expect(frames.last?.type == .ping && frames.last?.problems.isEmpty == true)
    }

    @Test func searchingFindsFramesAfterGarbage() {
        let garbage: [UInt8] = Array("this is not a frame at all, just text....".utf8)
        let outputs = decodeFrames(garbage + F.settings([(3, 100)]) + F.ping(1) + F.windowUpdate(increment: 5) + F.data(stream: 1, [1, 2]), searching: true)
        #expect(outputs.frames.map(\.type) == [.settings, .ping, .windowUpdate, .data])
        #expect(outputs.skipped.first?.0 == ByteSpan(start: 0, count: garbage.count))
    }

    @Test func gapInsideAFrameResumesAtTheNextFrame() {
        let first = F.data(stream: 1, [UInt8](repeating: 7, count: 100))
        let bytes = first + F.ping(9) + F.data(stream: 1, [1])
        var decoder = FrameDecoder()
        var outputs: [FrameDecoder.Output] = []
        decoder.append(bytes[0..<30], at: 0)
        while let output = decoder.next() { outputs.append(output) }
        decoder.gap(at: 30, length: 40)
        decoder.append(bytes[70...], at: 70)
        while let output = decoder.next() { outputs.append(output) }
        #expect(outputs.frames.map(\.type) == [.ping, .data])
        #expect(outputs.skipped.map(\.0) == [ByteSpan(start: 0, count: first.count)])
        #expect(outputs.skipped.first?.1 == "DATA frame cut by a capture gap of 40 bytes")
        #expect(outputs.skipCodes.first == "http2.skip.frame-cut-by-gap")
    }

    @Test func gapOverAFrameHeaderSearchesAgain() {
        // The lost PING's opaque data must not look like a frame header (a zero-length DATA frame
        // on stream 2 would be a plausible reading of eight zero bytes followed by 0x02).
        let bytes = F.ping(1) + F.ping(0x1111_1111_1111_1111) + F.settings([(3, 1)]) + F.ping(3) + F.windowUpdate(increment: 1)
        var decoder = FrameDecoder()
        var outputs: [FrameDecoder.Output] = []
        decoder.append(bytes[0..<17], at: 0)
        while let output = decoder.next() { outputs.append(output) }
        decoder.gap(at: 17, length: 5)  // the second PING's header is lost
        decoder.append(bytes[22...], at: 22)
        while let output = decoder.next() { outputs.append(output) }
        #expect(outputs.frames.map(\.type) == [.ping, .settings, .ping, .windowUpdate])
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = decodeFrames(bytes, chunk: Int.random(in: 1...50, using: &generator), searching: Bool.random(using: &generator))
        }
    }
}
