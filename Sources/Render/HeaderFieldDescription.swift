import HPACK
import Protobuf

/// Header fields as JSON in the frame views (the text form is HPACK's `HeaderFieldText`).
enum HeaderFieldDescription {
    static func json(_ field: DecodedField) -> JSONObject {
        var object = JSONObject()
        object.add("representation", HeaderFieldText.representation(field).replacingSpaces())
        switch field.nameSource {
        case let .staticTable(index): object.add("name_source", "static"); object.add("index", index)
        case let .dynamicTable(index): object.add("name_source", "dynamic"); object.add("index", index)
        case .literal: object.add("name_source", "literal")
        case let .unknownDynamic(index):
            object.add("name_source", "unknown_dynamic")
            object.add("index", index)
            if let entry = field.unknownEntry { object.add("unknown_entry", entry) }
        case let .invalidIndex(index): object.add("name_source", "invalid"); object.add("index", index)
        }
        if let huffman = field.nameHuffman { object.add("name_huffman", huffman) }
        if let huffman = field.valueHuffman { object.add("value_huffman", huffman) }
        object.add("added_to_table", field.insertedIntoTable)
        if !field.evicted.isEmpty { object.add("evicted", field.evicted.count) }
        return object
    }
}

extension String {
    /// `literal with incremental indexing` → `literal_with_incremental_indexing`, for JSON values.
    func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}
