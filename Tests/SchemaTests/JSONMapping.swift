import Foundation
import Protobuf
import Schema
import SwiftProtobuf
import XCTest

/// A JSON value for comparisons: what SwiftProtobuf's `jsonString()` parses to, and what a
/// `ProtoValue` means under protobuf.dev "ProtoJSON Format" (int64 as strings, bytes base64,
/// enums by name, non-finite floats as strings).
indirect enum JSON: CustomStringConvertible {
    case null, bool(Bool), number(Double), float(Float), string(String), array([JSON]), object([String: JSON])
    /// A ProtoValue with no JSON form (`.unknown`): never equal to anything.
    case raw(String)

    var description: String {
        switch self {
        case .null: "null"
        case let .bool(flag): "\(flag)"
        case let .number(number): "\(number)"
        case let .float(number): "\(number)f"
        case let .string(text): "\"\(text)\""
        case let .array(items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .object(members): "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        case let .raw(text): "<\(text)>"
        }
    }

    /// From JSONSerialization's output.
    init(foundation value: Any) {
        switch value {
        case is NSNull: self = .null
        case let text as String: self = .string(text)
        case let items as [Any]: self = .array(items.map(JSON.init(foundation:)))
        case let members as [String: Any]: self = .object(members.mapValues(JSON.init(foundation:)))
        case let number as NSNumber: self = .number(number.doubleValue)
        default: self = .raw("\(type(of: value))")
        }
    }

    init(parsing text: String) throws {
        self.init(foundation: try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    /// The ProtoJSON meaning of a decoded value.
    init(_ value: ProtoValue) {
        switch value {
        case let .string(text), let .wellKnown(text): self = .string(text)
        case let .int(number): self = .number(Double(number))
        case let .uint(number): self = .number(Double(number))
        case let .int64(number): self = .string(String(number))
        case let .uint64(number): self = .string(String(number))
        case let .bool(flag): self = .bool(flag)
        case let .float(number): self = number.isFinite ? .float(number) : .string(JSON.nonFinite(Double(number)))
        case let .double(number): self = number.isFinite ? .number(number) : .string(JSON.nonFinite(number))
        case let .bytes(bytes): self = .string(Data(bytes).base64EncodedString())
        case let .enumValue(name, number): self = name.map(JSON.string) ?? .number(Double(number))
        case .null: self = .null
        case let .object(members):
            var object: [String: JSON] = [:]
            for member in members { object[member.jsonName] = JSON(member.value) }
            self = .object(object)
        case let .map(entries):
            var object: [String: JSON] = [:]
            for entry in entries { object[entry.key] = JSON(entry.value) }
            self = .object(object)
        case let .list(items): self = .array(items.map(JSON.init))
        case let .unknown(field, note): self = .raw("unknown field \(field.number): \(note ?? "")")
        }
    }

    static func nonFinite(_ number: Double) -> String {
        number.isNaN ? "NaN" : number > 0 ? "Infinity" : "-Infinity"
    }

    /// Differences between `self` (decoded) and `expected`, with JSON paths.
    func differences(from expected: JSON, path: String = "$") -> [String] {
        switch (self, expected) {
        case (.null, .null): return []
        case let (.bool(a), .bool(b)) where a == b: return []
        case let (.bool(a), .number(b)) where (a ? 1.0 : 0.0) == b: return []  // JSONSerialization's booleans are NSNumbers
        case let (.number(a), .number(b)) where a == b: return []
        case let (.float(a), .number(b)) where a == Float(b): return []
        case let (.string(a), .string(b)) where a == b: return []
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return ["\(path): \(a.count) items, expected \(b.count): \(self) vs \(expected)"] }
            return zip(a, b).enumerated().flatMap { $0.element.0.differences(from: $0.element.1, path: "\(path)[\($0.offset)]") }
        case let (.object(a), .object(b)):
            var result: [String] = []
            for key in Set(a.keys).union(b.keys).sorted() {
                switch (a[key], b[key]) {
                case let (x?, y?): result += x.differences(from: y, path: "\(path).\(key)")
                case let (x?, nil): result.append("\(path).\(key): unexpected \(x)")
                case let (nil, y?): result.append("\(path).\(key): missing, expected \(y)")
                default: break
                }
            }
            return result
        default:
            return ["\(path): \(self) != expected \(expected)"]
        }
    }
}

enum Fixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), "fixture \(name)")
        return Array(try Data(contentsOf: url))
    }

    static func pool(_ name: String) throws -> DescriptorPool {
        try DescriptorPool(fileDescriptorSet: bytes(name))
    }

    /// The well-known types and descriptor.proto (wkt.protoset), read once.
    static let wktPool: DescriptorPool = try! pool("wkt.protoset")
}

/// Decodes SwiftProtobuf's serialization of `message` and compares with its own JSON.
func assertMatchesSwiftProtobuf<M: SwiftProtobuf.Message>(_ message: M, as typeName: String? = nil, pool: DescriptorPool = Fixtures.wktPool,
                                                          file: StaticString = #filePath, line: UInt = #line) throws {
    let bytes: [UInt8] = try message.serializedBytes()
    let name = typeName ?? M.protoMessageName
    let decoded = try XCTUnwrap(SchemaDecoder(pool: pool).decode(bytes[...], as: name), "type \(name) not in pool", file: file, line: line)
    XCTAssertTrue(decoded.isClean, "problems: \(decoded.problems), contradictions: \(decoded.contradictions)", file: file, line: line)
    XCTAssertEqual(decoded.unknownFields, 0, file: file, line: line)
    let expected = try JSON(parsing: message.jsonString())
    let differences = JSON(decoded.value).differences(from: expected)
    XCTAssertTrue(differences.isEmpty, "\(name):\n" + differences.prefix(20).joined(separator: "\n"), file: file, line: line)
}

/// The value of member `name` (proto or JSON name) of an object.
func member(_ value: ProtoValue, _ name: String) -> ProtoValue? {
    guard case let .object(members) = value else { return nil }
    return members.first { $0.name == name || $0.jsonName == name }?.value
}
