import Testing
import Zlib

/// `printf hello | gzip -c | xxd -i` (GNU gzip 1.12; from stdin gzip writes mtime 0 and no name).
private let helloGzip: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48,
    0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x86, 0xa6, 0x10, 0x36, 0x05, 0x00, 0x00,
    0x00,
]

/// `python3 -c "import zlib; print(zlib.compress(b'hello').hex())"`: 78 9c header, deflate, Adler-32.
private let helloZlib: [UInt8] = [
    0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15,
]

private let hello = Array("hello".utf8)

/// Deterministic, moderately compressible sample data (a simple LCG over a small alphabet).
private func sample(count: Int, seed: UInt32 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_103_515_245 &+ 12_345
        return UInt8(ascii: "a") + UInt8((state >> 16) % 12)
    }
}

@Test func knownGzipVector() throws {
    #expect(try Inflater.inflate(helloGzip, format: .gzip).get() == hello)
    #expect(try Inflater.inflate(helloGzip, format: .auto).get() == hello)
}

@Test func knownZlibVector() throws {
    #expect(try Inflater.inflate(helloZlib, format: .zlib).get() == hello)
    #expect(try Inflater.inflate(helloZlib, format: .auto).get() == hello)
}

@Test func wrongFormatIsCorrupt() {
    guard case .failure(.corrupt(let message, _)) = Inflater.inflate(helloGzip, format: .zlib) else {
        Issue.record("gzip bytes accepted as zlib")
        return
    }
    #expect(message == "incorrect header check")
}

@Test(arguments: [Deflater.Format.zlib, .gzip, .raw], [0, 1, 100, 70_000, 1 << 20])
func roundTrip(format: Deflater.Format, count: Int) throws {
    let data = sample(count: count)
    let compressed = Deflater.compress(data, format: format)
    let inflateFormat: Inflater.Format = switch format {
    case .zlib: .zlib
    case .gzip: .gzip
    case .raw: .raw
    }
    #expect(try Inflater.inflate(compressed, format: inflateFormat).get() == data)
    if format != .raw {
        #expect(try Inflater.inflate(compressed, format: .auto).get() == data)
    }
}

@Test func gzipOutputIsDeterministic() {
    #expect(Deflater.compress(hello, format: .gzip) == Deflater.compress(hello, format: .gzip))
    #expect(Array(Deflater.compress(hello, format: .gzip).prefix(2)) == [0x1f, 0x8b])
}

@Test func streamingInSmallPieces() {
    let data = sample(count: 200_000)
    let compressed = Deflater.compress(data, format: .gzip)
    for pieceSize in [1, 7, 4096] {
        var inflater = Inflater(format: .gzip)
        var output: [UInt8] = []
        var start = 0
        while start < compressed.count {
            let end = min(start + pieceSize, compressed.count)
            #expect(inflater.append(compressed[start..<end], into: &output) == nil)
            start = end
        }
        #expect(inflater.finish() == nil)
        #expect(inflater.isFinished)
        #expect(output == data)
        #expect(inflater.totalIn == compressed.count)
        #expect(inflater.totalOut == data.count)
    }
}

@Test func everyTruncationIsReported() {
    let compressed = Deflater.compress(sample(count: 3000), format: .gzip)
    for length in 0..<compressed.count {
        let result = Inflater.inflate(compressed[..<length], format: .gzip)
        guard case .failure(let error) = result else {
            Issue.record("truncation to \(length) bytes was accepted")
            continue
        }
        #expect(error == .truncated(inputOffset: length))
    }
}

@Test func truncationKeepsThePrefix() {
    let data = sample(count: 100_000)
    let compressed = Deflater.compress(data, format: .zlib)
    var inflater = Inflater(format: .zlib)
    var output: [UInt8] = []
    #expect(inflater.append(compressed.dropLast(20), into: &output) == nil)
    #expect(inflater.finish() == .truncated(inputOffset: compressed.count - 20))
    #expect(!output.isEmpty && data.starts(with: output))
}

@Test func corruptChecksum() {
    var bytes = helloGzip
    bytes[bytes.count - 8] ^= 0xff  // first byte of the CRC-32 in the gzip trailer
    guard case .failure(.corrupt(let message, let offset)) = Inflater.inflate(bytes, format: .gzip) else {
        Issue.record("bad CRC accepted")
        return
    }
    #expect(message == "incorrect data check")
    #expect(offset <= bytes.count)
}

@Test func corruptBlockType() {
    // Byte 10 starts the deflate data; 0x07 has BFINAL=1, BTYPE=11 (reserved, RFC 1951 §3.2.3).
    var bytes = helloGzip
    bytes[10] = 0x07
    guard case .failure(.corrupt(let message, let offset)) = Inflater.inflate(bytes, format: .gzip) else {
        Issue.record("reserved block type accepted")
        return
    }
    #expect(message == "invalid block type")
    #expect(offset == 11)
}

@Test func randomGarbageNeverTraps() {
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    for _ in 0..<2000 {
        let count = Int(state % 64)
        var bytes: [UInt8] = []
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        for format in [Inflater.Format.zlib, .gzip, .raw, .auto] {
            if case .failure(let error) = Inflater.inflate(bytes, format: format, maxOutput: 1 << 16) {
                #expect(error.inputOffset >= 0 && error.inputOffset <= bytes.count)
            }
        }
    }
}

@Test func bombIsCapped() {
    let bomb = Deflater.compress([UInt8](repeating: 0, count: 10 << 20), format: .gzip, level: 9)
    #expect(bomb.count < 20_000)
    var inflater = Inflater(format: .gzip, maxOutput: 1 << 20)
    var output: [UInt8] = []
    let error = inflater.append(bomb, into: &output)
    guard case .outputLimitExceeded(let limit, let offset) = error else {
        Issue.record("bomb not capped: \(String(describing: error))")
        return
    }
    #expect(limit == 1 << 20)
    #expect(offset > 0 && offset < bomb.count)
    #expect(output.count == 1 << 20)
    // The inflater stays failed.
    #expect(inflater.append([0], into: &output) == error)
    #expect(inflater.finish() == error)
}

@Test func exactLimitIsAllowed() throws {
    let data = sample(count: 5000)
    let compressed = Deflater.compress(data)
    #expect(try Inflater.inflate(compressed, format: .zlib, maxOutput: 5000).get() == data)
    guard case .failure(.outputLimitExceeded(4999, let offset)) = Inflater.inflate(compressed, format: .zlib, maxOutput: 4999)
    else {
        Issue.record("limit of 4999 not enforced")
        return
    }
    #expect(offset > 0 && offset <= compressed.count)
}

@Test func concatenatedGzipMembersAreTrailingData() {
    let twice = helloGzip + helloGzip
    #expect(Inflater.inflate(twice, format: .gzip) == .failure(.trailingData(inputOffset: helloGzip.count)))
    var inflater = Inflater(format: .gzip)
    var output: [UInt8] = []
    #expect(inflater.append(helloGzip, into: &output) == nil)
    #expect(inflater.isFinished)
    #expect(inflater.append([], into: &output) == nil)
    #expect(inflater.append(helloGzip, into: &output) == .trailingData(inputOffset: helloGzip.count))
    #expect(output == hello)
}

@Test func copiesAreIndependent() {
    let data = sample(count: 50_000)
    let compressed = Deflater.compress(data, format: .zlib)
    let half = compressed.count / 2
    var first = Inflater(format: .zlib)
    var prefix: [UInt8] = []
    #expect(first.append(compressed[..<half], into: &prefix) == nil)
    var second = first  // value semantics: the zlib state is copied on write
    var restA = prefix, restB = prefix
    #expect(first.append(compressed[half...], into: &restA) == nil)
    #expect(second.append(compressed[half...], into: &restB) == nil)
    #expect(first.finish() == nil && second.finish() == nil)
    #expect(restA == data && restB == data)
}
