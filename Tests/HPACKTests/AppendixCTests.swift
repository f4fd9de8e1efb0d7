import Testing
@testable import HPACK

// RFC 7541 Appendix C, verbatim: the encoded blocks as the RFC prints them, the decoded header
// lists, and the dynamic table (newest first) and its size after each block.

/// One block of an Appendix C sequence and the state after it.
struct AppendixStep: Sendable, CustomTestStringConvertible {
    var section: String
    var wire: String
    var headers: [[String]]
    var table: [[String]]
    var tableSize: Int
    var testDescription: String { section }
}

struct AppendixSequence: Sendable, CustomTestStringConvertible {
    var name: String
    var maxTableSize: Int
    var steps: [AppendixStep]
    var testDescription: String { name }
}

private let request1 = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]]
private let request2 = request1 + [["cache-control", "no-cache"]]
private let request3 = [
    [":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"],
    ["custom-key", "custom-value"],
]
private let table1 = [[":authority", "www.example.com"]]
private let table2 = [["cache-control", "no-cache"]] + table1
private let table3 = [["custom-key", "custom-value"]] + table2

private let response1 = [
    [":status", "302"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["location", "https://www.example.com"],
]
private let response2 = [[":status", "307"]] + response1.dropFirst()
private let response3 = [
    [":status", "200"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ["location", "https://www.example.com"], ["content-encoding", "gzip"],
    ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
]
private let responseTable1 = [
    ["location", "https://www.example.com"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["cache-control", "private"], [":status", "302"],
]
private let responseTable2 = [[":status", "307"]] + responseTable1.dropLast()
private let responseTable3 = [
    ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"], ["content-encoding", "gzip"],
    ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
]

let appendixCSequences: [AppendixSequence] = [
    // C.2: each example on a fresh decoder.
    AppendixSequence(name: "C.2.1", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.2.1 Literal Header Field with Indexing",
            wire: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
            headers: [["custom-key", "custom-header"]], table: [["custom-key", "custom-header"]], tableSize: 55),
    ]),
    AppendixSequence(name: "C.2.2", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.2.2 Literal Header Field without Indexing", wire: "040c 2f73 616d 706c 652f 7061 7468",
            headers: [[":path", "/sample/path"]], table: [], tableSize: 0),
    ]),
    AppendixSequence(name: "C.2.3", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.2.3 Literal Header Field Never Indexed", wire: "1008 7061 7373 776f 7264 0673 6563 7265 74",
            headers: [["password", "secret"]], table: [], tableSize: 0),
    ]),
    AppendixSequence(name: "C.2.4", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.2.4 Indexed Header Field", wire: "82", headers: [[":method", "GET"]], table: [], tableSize: 0),
    ]),
    AppendixSequence(name: "C.3 requests without Huffman", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.3.1", wire: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            headers: request1, table: table1, tableSize: 57),
        AppendixStep(
            section: "C.3.2", wire: "8286 84be 5808 6e6f 2d63 6163 6865",
            headers: request2, table: table2, tableSize: 110),
        AppendixStep(
            section: "C.3.3", wire: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
            headers: request3, table: table3, tableSize: 164),
    ]),
    AppendixSequence(name: "C.4 requests with Huffman", maxTableSize: 4096, steps: [
        AppendixStep(
            section: "C.4.1", wire: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            headers: request1, table: table1, tableSize: 57),
        AppendixStep(
            section: "C.4.2", wire: "8286 84be 5886 a8eb 1064 9cbf", headers: request2, table: table2, tableSize: 110),
        AppendixStep(
            section: "C.4.3", wire: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
            headers: request3, table: table3, tableSize: 164),
    ]),
    AppendixSequence(name: "C.5 responses without Huffman", maxTableSize: 256, steps: [
        AppendixStep(
            section: "C.5.1",
            wire: """
                4803 3330 3258 0770 7269 7661 7465 611d
                4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                2032 303a 3133 3a32 3120 474d 546e 1768
                7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                6c65 2e63 6f6d
                """,
            headers: response1, table: responseTable1, tableSize: 222),
        AppendixStep(
            section: "C.5.2", wire: "4803 3330 37c1 c0bf", headers: response2, table: responseTable2, tableSize: 222),
        AppendixStep(
            section: "C.5.3",
            wire: """
                88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
                3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 7738 666f 6f3d 4153
                444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61
                6765 3d33 3630 303b 2076 6572 7369 6f6e
                3d31
                """,
            headers: response3, table: responseTable3, tableSize: 215),
    ]),
    AppendixSequence(name: "C.6 responses with Huffman", maxTableSize: 256, steps: [
        AppendixStep(
            section: "C.6.1",
            wire: """
                4882 6402 5885 aec3 771a 4b61 96d0 7abe
                9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
                e9ae 82ae 43d3
                """,
            headers: response1, table: responseTable1, tableSize: 222),
        AppendixStep(
            section: "C.6.2", wire: "4883 640e ffc1 c0bf", headers: response2, table: responseTable2, tableSize: 222),
        AppendixStep(
            section: "C.6.3",
            wire: """
                88c1 6196 d07a be94 1054 d444 a820 0595
                040b 8166 e084 a62d 1bff c05a 839b d9ab
                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
                3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07
                """,
            headers: response3, table: responseTable3, tableSize: 215),
    ]),
]

@Test(arguments: appendixCSequences)
func appendixC(_ sequence: AppendixSequence) {
    var decoder = HPACKDecoder(maxTableSize: sequence.maxTableSize)
    var offset = 0
    for step in sequence.steps {
        let wire = hex(step.wire)
        let block = decoder.decode(block: wire, baseOffset: offset)
        #expect(block.diagnostics.isEmpty, "\(step.section): \(block.diagnostics)")
        #expect(block.undecoded == nil, "\(step.section)")
        #expect(block.pairs == step.headers, "\(step.section)")
        #expect(decoder.dynamicTable.pairs == step.table, "\(step.section)")
        #expect(decoder.dynamicTable.size == step.tableSize, "\(step.section)")
        #expect(!decoder.isTablePartlyKnown)
        // The fields tile the block: each span starts where the previous ended.
        var position = offset
        for field in block.fields {
            #expect(field.span.lowerBound == position, "\(step.section)")
            position = field.span.upperBound
        }
        #expect(position == offset + wire.count, "\(step.section)")
        #expect(block.headerListSize == step.headers.reduce(0) { $0 + $1[0].utf8.count + $1[1].utf8.count + 32 })
        offset += wire.count
    }
}

@Test func appendixC2RepresentationDetails() {
    var decoder = HPACKDecoder()
    let c21 = decoder.decode(block: hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), baseOffset: 100)
    #expect(c21.fields == [DecodedField(
        name: bytes("custom-key"), value: bytes("custom-header"), representation: .literalWithIncrementalIndexing,
        nameSource: .literal, nameHuffman: false, valueHuffman: false, span: 100..<126, insertedIntoTable: true)])

    decoder = HPACKDecoder()
    let c22 = decoder.decode(block: hex("040c 2f73 616d 706c 652f 7061 7468"))
    #expect(c22.fields == [DecodedField(
        name: bytes(":path"), value: bytes("/sample/path"), representation: .literalWithoutIndexing,
        nameSource: .staticTable(index: 4), valueHuffman: false, span: 0..<14)])

    let c23 = decoder.decode(block: hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))
    #expect(c23.fields == [DecodedField(
        name: bytes("password"), value: bytes("secret"), representation: .literalNeverIndexed,
        nameSource: .literal, nameHuffman: false, valueHuffman: false, span: 0..<17)])

    let c24 = decoder.decode(block: hex("82"))
    #expect(c24.fields == [DecodedField(
        name: bytes(":method"), value: bytes("GET"), representation: .indexed, nameSource: .staticTable(index: 2),
        span: 0..<1)])
    #expect(c24.fields[0].index == 2)
}

@Test func appendixC4RepresentationDetails() {
    var decoder = HPACKDecoder()
    _ = decoder.decode(block: hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
    _ = decoder.decode(block: hex("8286 84be 5886 a8eb 1064 9cbf"))
    let block = decoder.decode(block: hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
    #expect(block.fields.map(\.nameSource) == [
        .staticTable(index: 2), .staticTable(index: 7), .staticTable(index: 5), .dynamicTable(index: 63), .literal,
    ])
    #expect(block.fields.map(\.representation) == [.indexed, .indexed, .indexed, .indexed, .literalWithIncrementalIndexing])
    #expect(block.fields[3].nameHuffman == nil && block.fields[3].valueHuffman == nil)
    #expect(block.fields[4].nameHuffman == true && block.fields[4].valueHuffman == true)
    #expect(block.fields[4].span == 4..<24)
    #expect(block.fields[4].insertedIntoTable && block.fields[4].evicted.isEmpty)
}

@Test func appendixC5Evictions() {
    var decoder = HPACKDecoder(maxTableSize: 256)
    _ = decoder.decode(block: hex(appendixCSequences[6].steps[0].wire))
    let second = decoder.decode(block: hex("4803 3330 37c1 c0bf"))
    // RFC 7541 C.5.2: inserting (:status, 307) evicts (:status, 302).
    #expect(second.fields[0].evicted == [DynamicTableEntry(name: bytes(":status"), value: bytes("302"))])
    #expect(second.fields[0].nameSource == .staticTable(index: 8))
    #expect(second.fields[1...].map(\.nameSource) == [.dynamicTable(index: 65), .dynamicTable(index: 64), .dynamicTable(index: 63)])
    let third = decoder.decode(block: hex(appendixCSequences[6].steps[2].wire))
    let evicted = third.fields.map { $0.evicted.map { String(decoding: $0.name ?? [], as: UTF8.self) } }
    #expect(evicted == [[], [], ["cache-control"], [], ["date"], ["location", ":status"]])
    #expect(third.fields.map(\.insertedIntoTable) == [false, false, true, false, true, true])
}
