import SwiftProtobuf

/// Every named element of the files compiled so far, by fully-qualified name
/// (without the leading dot), plus the resolved descriptors that option
/// interpretation needs (message fields, enum values, extensions).
struct SymbolTable: Sendable {
    enum Kind: Sendable, Equatable {
        case package, message, enumType, enumValue, field, oneof, service, method

        /// Types can be the target of a field's type name.
        var isType: Bool { self == .message || self == .enumType }
        /// Aggregates can contain other symbols.
        var isAggregate: Bool { self == .package || self == .message || self == .enumType || self == .service }
    }

    struct Symbol: Sendable {
        var kind: Kind
        var file: String
    }

    var symbols: [String: Symbol] = [:]
    /// Resolved message descriptors by full name.
    var messages: [String: Google_Protobuf_DescriptorProto] = [:]
    /// Whether a message was declared in a proto3 or editions file (packed-by-default repeated scalars).
    var messageIsProto3: [String: Bool] = [:]
    var enums: [String: Google_Protobuf_EnumDescriptorProto] = [:]
    /// Enum value names per enum full name (available before resolution).
    var enumValueNames: [String: Set<String>] = [:]
    /// Resolved extension fields by full name.
    var extensions: [String: Google_Protobuf_FieldDescriptorProto] = [:]
    /// Whether an extension was declared in a proto3 or editions file.
    var extensionPackedByDefault: [String: Bool] = [:]
    /// Extensions by extendee full name (leading dot) and number.
    var extensionsByNumber: [String: [Int32: String]] = [:]

    /// Symbol lookup following protobuf's scoping rules: a leading "." means
    /// fully-qualified; otherwise the innermost scope of `relativeTo` is tried
    /// first, moving outwards. For a compound name `A.B.C`, the first
    /// component must resolve to an aggregate, then the rest is looked up in it.
    /// (protobuf.dev/reference/protobuf/proto3-spec, "Name resolution".)
    func lookup(_ name: String, relativeTo: String, typesOnly: Bool) -> (name: String, symbol: Symbol)? {
        if name.hasPrefix(".") {
            let full = String(name.dropFirst())
            return symbols[full].map { (full, $0) }
        }
        let firstPart: Substring
        let rest: Substring
        if let dot = name.firstIndex(of: ".") {
            firstPart = name[..<dot]
            rest = name[dot...]
        } else {
            firstPart = Substring(name)
            rest = ""
        }
        var scope = Substring(relativeTo)
        while true {
            guard let dot = scope.lastIndex(of: ".") else {
                // Top level.
                return symbols[name].map { (name, $0) }
            }
            scope = scope[..<dot]
            let candidate = String(scope + "." + firstPart)
            if let found = symbols[candidate] {
                if rest.isEmpty {
                    if !typesOnly || found.kind.isType { return (candidate, found) }
                } else if found.kind.isAggregate {
                    let full = candidate + String(rest)
                    return symbols[full].map { (full, $0) }
                }
            }
        }
    }
}
