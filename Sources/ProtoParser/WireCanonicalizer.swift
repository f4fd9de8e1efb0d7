/// Re-serializes wire-format bytes of a known message type the way a
/// reflection-based serializer writes a parsed message: fields (and
/// extensions) in field-number order, a singular message given several times
/// merged into one, a singular scalar keeping its last value, repeated scalars
/// packed when the field is packed, unknown fields last in their original order.
/// (Encoding rules: protobuf.dev/programming-guides/encoding, "Last One Wins"
/// and "Packed Repeated Fields".)
struct WireCanonicalizer {
    var lookup: DescriptorLookup
    static let maxDepth = 100

    struct Entry {
        var number: Int32
        var wireType: WireType
        /// Varint/fixed: the value bytes; length-delimited: the payload
        /// (without length); group: the bytes between start and end tags.
        var payload: [UInt8]
    }

    /// Splits bytes into entries; nil when malformed.
    static func parse(_ bytes: [UInt8]) -> [Entry]? {
        var i = 0
        var out: [Entry] = []
        func readVarint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let b = bytes[i]
                i += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let tag = readVarint(), let wt = WireType(rawValue: tag & 7) else { return nil }
            let number = Int32(truncatingIfNeeded: tag >> 3)
            switch wt {
            case .varint:
                let start = i
                guard readVarint() != nil else { return nil }
                out.append(Entry(number: number, wireType: wt, payload: Array(bytes[start..<i])))
            case .fixed32, .fixed64:
                let n = wt == .fixed32 ? 4 : 8
                guard i + n <= bytes.count else { return nil }
                out.append(Entry(number: number, wireType: wt, payload: Array(bytes[i..<(i + n)])))
                i += n
            case .lengthDelimited:
                guard let len = readVarint(), len <= UInt64(bytes.count - i) else { return nil }
                out.append(Entry(number: number, wireType: wt, payload: Array(bytes[i..<(i + Int(len))])))
                i += Int(len)
            case .startGroup:
                // Find the matching end-group tag.
                let start = i
                var depth = 1
                var end = i
                while depth > 0 {
                    guard i < bytes.count else { return nil }
                    end = i
                    guard let t = readVarint(), let inner = WireType(rawValue: t & 7) else { return nil }
                    switch inner {
                    case .varint: guard readVarint() != nil else { return nil }
                    case .fixed32: i += 4
                    case .fixed64: i += 8
                    case .lengthDelimited:
                        guard let len = readVarint(), len <= UInt64(bytes.count - i) else { return nil }
                        i += Int(len)
                    case .startGroup: depth += 1
                    case .endGroup: depth -= 1
                    }
                    if i > bytes.count { return nil }
                }
                out.append(Entry(number: number, wireType: wt, payload: Array(bytes[start..<end])))
            case .endGroup:
                return nil
            }
        }
        return out
    }

    func canonicalize(_ bytes: [UInt8], typeName: String, depth: Int = 0) -> [UInt8] {
        guard depth < WireCanonicalizer.maxDepth, let entries = WireCanonicalizer.parse(bytes),
              let message = lookup.message(typeName) else { return bytes }
        let fullName = typeName.hasPrefix(".") ? typeName : "." + typeName
        var byNumber: [Int32: [Entry]] = [:]
        var unknown: [Entry] = []
        var fields: [Int32: Google_Protobuf_FieldDescriptorProto] = [:]
        var extensionNames: [Int32: String] = [:]
        for e in entries {
            if fields[e.number] == nil {
                if let f = message.field.first(where: { $0.number == e.number }) {
                    fields[e.number] = f
                } else if let extName = lookup.user.extensionsByNumber[fullName]?[e.number] ?? lookup.builtin.extensionsByNumber[fullName]?[e.number],
                          let f = lookup.extensionField(extName) {
                    fields[e.number] = f
                    extensionNames[e.number] = extName
                }
            }
            if fields[e.number] != nil {
                byNumber[e.number, default: []].append(e)
            } else {
                unknown.append(e)
            }
        }
        var out: [UInt8] = []
        for number in byNumber.keys.sorted() {
            let list = byNumber[number]!
            let field = fields[number]!
            let packedByDefault = extensionNames[number].map(lookup.extensionPackedByDefault) ?? lookup.packedByDefault(fullName)
            out += encode(field, list, packedByDefault: packedByDefault, depth: depth)
        }
        for e in unknown { out += WireCanonicalizer.write(e) }
        return out
    }

    static func write(_ e: Entry) -> [UInt8] {
        switch e.wireType {
        case .lengthDelimited: return WireWriter.lengthDelimited(e.number, e.payload)
        case .startGroup: return WireWriter.group(e.number, e.payload)
        default: return WireWriter.tag(e.number, e.wireType) + e.payload
        }
    }

    private func isPacked(_ field: Google_Protobuf_FieldDescriptorProto, packedByDefault: Bool) -> Bool {
        if field.options.hasPacked { return field.options.packed }
        if let packed = field.options.uninterpretedOption.first(where: { $0.name.count == 1 && $0.name[0].namePart == "packed" && !$0.name[0].isExtension }) {
            return packed.identifierValue == "true"
        }
        return packedByDefault
    }

    private func encode(_ field: Google_Protobuf_FieldDescriptorProto, _ list: [Entry], packedByDefault: Bool, depth: Int) -> [UInt8] {
        let number = field.number
        switch field.type {
        case .message, .group:
            let isGroup = field.type == .group
            let payloads = list.map(\.payload)
            if field.label == .repeated {
                return payloads.flatMap { p -> [UInt8] in
                    let c = canonicalize(p, typeName: field.typeName, depth: depth + 1)
                    return isGroup ? WireWriter.group(number, c) : WireWriter.lengthDelimited(number, c)
                }
            }
            let merged = canonicalize(payloads.flatMap { $0 }, typeName: field.typeName, depth: depth + 1)
            return isGroup ? WireWriter.group(number, merged) : WireWriter.lengthDelimited(number, merged)
        case .string, .bytes:
            if field.label == .repeated { return list.flatMap(WireCanonicalizer.write) }
            return WireCanonicalizer.write(list[list.count - 1])
        default:
            let wt = OptionValueEncoder.wireType(field.type)
            // Collect values from packed and unpacked entries alike.
            var values: [[UInt8]] = []
            for e in list {
                if e.wireType == .lengthDelimited {
                    values += WireCanonicalizer.splitPacked(e.payload, wt)
                } else {
                    values.append(e.payload)
                }
            }
            if field.label != .repeated {
                guard let last = values.last else { return [] }
                return WireWriter.tag(number, wt) + last
            }
            if isPacked(field, packedByDefault: packedByDefault) {
                return values.isEmpty ? [] : WireWriter.lengthDelimited(number, values.flatMap { $0 })
            }
            return values.flatMap { WireWriter.tag(number, wt) + $0 }
        }
    }

    static func splitPacked(_ payload: [UInt8], _ wt: WireType) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var i = 0
        while i < payload.count {
            switch wt {
            case .fixed32, .fixed64:
                let n = wt == .fixed32 ? 4 : 8
                guard i + n <= payload.count else { return out }
                out.append(Array(payload[i..<(i + n)]))
                i += n
            default:
                let start = i
                while i < payload.count, payload[i] & 0x80 != 0 { i += 1 }
                i += 1
                out.append(Array(payload[start..<min(i, payload.count)]))
            }
        }
        return out
    }
}

import SwiftProtobuf
