import XCTest
@testable import ProtoParser

final class TokenizerTests: XCTestCase {
    private func tokens(_ s: String) -> [Token] {
        Tokenizer.tokenize(s).tokens.dropLast()
    }

    func testIntegerForms() {
        let t = tokens("0 42 0x1F 0X1f 017")
        XCTAssertEqual(t.map(\.kind), Array(repeating: .integer, count: 5))
        XCTAssertEqual(t.map { NumberLiterals.parseInteger($0.text) }, [0, 42, 31, 31, 15])
        XCTAssertNil(NumberLiterals.parseInteger("18446744073709551616"))
        XCTAssertEqual(NumberLiterals.parseInteger("18446744073709551615"), UInt64.max)
    }

    func testFloatForms() {
        let t = tokens("1.5 .5 1e10 1.E-3 2.")
        XCTAssertEqual(t.map(\.kind), Array(repeating: .float, count: 5))
        XCTAssertEqual(t.map { NumberLiterals.parseFloat($0.text) }, [1.5, 0.5, 1e10, 1e-3, 2.0])
        XCTAssertEqual(tokens("inf nan").map(\.kind), [.identifier, .identifier])
    }

    func testStringEscapes() {
        let t = tokens(#"'a\n\t\\\'' "\x41\101\u00e9\U0001F600\?\"" "\a\b\f\r\v""#)
        XCTAssertEqual(t[0].bytes, Array("a\n\t\\'".utf8))
        XCTAssertEqual(t[1].bytes, Array("AAé😀?\"".utf8))
        XCTAssertEqual(t[2].bytes, [7, 8, 12, 13, 11])
    }

    func testCommentsAndPositions() {
        let t = tokens("a // c\n/* x\n y */ b\n\tc")
        XCTAssertEqual(t.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(t.map(\.line), [1, 3, 4])
        XCTAssertEqual(t.map(\.column), [1, 7, 9])
    }

    func testByteOrderMarkIsSkipped() {
        let t = tokens("\u{FEFF}syntax")
        XCTAssertEqual(t.map(\.text), ["syntax"])
        XCTAssertEqual(t.first?.column, 1)
    }

    func testErrors() {
        let r = Tokenizer.tokenize("\"abc\n 0x /* unterminated")
        XCTAssertEqual(r.errors.map(\.message), ["String literals cannot cross line boundaries.", "\"0x\" must be followed by hex digits.", "End-of-file inside block comment."])
    }

    func testDefaultValueFormatting() {
        XCTAssertEqual(DefaultValueFormat.double(1e10), "10000000000")
        XCTAssertEqual(DefaultValueFormat.double(1e20), "1e+20")
        XCTAssertEqual(DefaultValueFormat.double(0.1), "0.1")
        XCTAssertEqual(DefaultValueFormat.float(0.1), "0.1")
        XCTAssertEqual(DefaultValueFormat.double(-.infinity), "-inf")
        XCTAssertEqual(DefaultValueFormat.cEscape([0, 65, 10, 0xFF, 34]), "\\000A\\n\\377\\\"")
    }
}
