/// Protobuf wire types (protobuf.dev "Encoding": Message Structure). A closed set: 6 and 7 are errors.
public enum WireType: UInt8, Sendable, Hashable, CustomStringConvertible {
    case varint = 0
    case i64 = 1
    case len = 2
    case startGroup = 3
    case endGroup = 4
    case i32 = 5

    public var description: String {
        switch self {
        case .varint: "varint"
        case .i64: "i64"
        case .len: "len"
        case .startGroup: "sgroup"
        case .endGroup: "egroup"
        case .i32: "i32"
        }
    }
}

extension Layer {
    public static let protobuf = Layer(rawValue: "protobuf")
}

import WireCore
