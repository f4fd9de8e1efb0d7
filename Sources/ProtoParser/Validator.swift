import SwiftProtobuf

/// Semantic checks made after names are resolved: extension numbers,
/// reserved numbers and names, range overlaps, enum value rules and
/// proto3 JSON name clashes (protobuf.dev/reference/protobuf/proto3-spec and
/// proto2-spec, "Reserved", "Extensions", "Enum definition").
extension Linker {
    mutating func validate(_ file: Google_Protobuf_FileDescriptorProto) {
        let proto3 = file.syntax == "proto3"
        let scope = file.package
        for m in file.messageType { validateMessage(m, scope: scope, proto3: proto3) }
        for e in file.enumType { validateEnum(e, scope: scope, proto3: proto3) }
        for x in file.extension { validateExtension(x, scope: scope) }
    }

    private static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    private mutating func validateMessage(_ m: Google_Protobuf_DescriptorProto, scope: String, proto3: Bool) {
        let name = Linker.join(scope, m.name)
        let isMapEntry = m.options.mapEntry
        for f in m.field {
            let at = name + "." + f.name
            if m.reservedRange.contains(where: { f.number >= $0.start && f.number < $0.end }) {
                report(at, "Field \"\(f.name)\" uses reserved number \(f.number).")
            }
            if m.reservedName.contains(f.name) {
                report(at, "Field name \"\(f.name)\" is reserved.")
            }
            if let r = m.extensionRange.first(where: { f.number >= $0.start && f.number < $0.end }) {
                report(at, "Extension range \(r.start) to \(Int64(r.end) - 1) includes field \"\(f.name)\" (\(f.number)).")
            }
        }
        let ranges = m.extensionRange.map { ($0.start, $0.end) }
        for i in ranges.indices {
            for j in ranges.indices where j > i {
                if ranges[i].0 < ranges[j].1 && ranges[j].0 < ranges[i].1 {
                    report(name, "Extension range \(ranges[j].0) to \(Int64(ranges[j].1) - 1) overlaps with already-defined range \(ranges[i].0) to \(Int64(ranges[i].1) - 1).")
                }
            }
            for r in m.reservedRange where ranges[i].0 < r.end && r.start < ranges[i].1 {
                report(name, "Extension range \(ranges[i].0) to \(Int64(ranges[i].1) - 1) overlaps with reserved range \(r.start) to \(Int64(r.end) - 1).")
            }
        }
        if proto3, !isMapEntry {
            var seen: [String: String] = [:]
            for f in m.field {
                let key = JsonName.from(f.name).lowercased()
                if let other = seen[key] {
                    report(name + "." + f.name, "The JSON camel-case name of field \"\(f.name)\" conflicts with field \"\(other)\". This is not allowed in proto3.")
                } else {
                    seen[key] = f.name
                }
            }
        }
        for n in m.nestedType { validateMessage(n, scope: name, proto3: proto3) }
        for e in m.enumType { validateEnum(e, scope: name, proto3: proto3) }
        for x in m.extension { validateExtension(x, scope: name) }
    }

    private mutating func validateEnum(_ e: Google_Protobuf_EnumDescriptorProto, scope: String, proto3: Bool) {
        let name = Linker.join(scope, e.name)
        if proto3, let first = e.value.first, first.number != 0 {
            report(Linker.join(scope, first.name), "The first enum value must be zero in proto3.")
        }
        let allowAlias = (e.options.hasAllowAlias && e.options.allowAlias) || e.options.uninterpretedOption.contains {
            $0.name.count == 1 && $0.name[0].namePart == "allow_alias" && $0.identifierValue == "true"
        }
        var byNumber: [Int32: String] = [:]
        for v in e.value {
            if let other = byNumber[v.number], !allowAlias {
                report(Linker.join(scope, v.name), "\"\(name).\(v.name)\" uses the same enum value as \"\(name).\(other)\". If this is intended, set 'option allow_alias = true;' to the enum definition.")
            } else if byNumber[v.number] == nil {
                byNumber[v.number] = v.name
            }
            if e.reservedRange.contains(where: { v.number >= $0.start && v.number <= $0.end }) {
                report(Linker.join(scope, v.name), "Enum value \"\(v.name)\" uses reserved number \(v.number).")
            }
            if e.reservedName.contains(v.name) {
                report(Linker.join(scope, v.name), "Enum value \"\(v.name)\" is reserved.")
            }
        }
    }

    private mutating func validateExtension(_ x: Google_Protobuf_FieldDescriptorProto, scope: String) {
        let at = Linker.join(scope, x.name)
        let extendee = x.extendee.hasPrefix(".") ? String(x.extendee.dropFirst()) : x.extendee
        guard let message = table.messages[extendee] else { return }
        if x.number > 536_870_911, !TextFormatEncoder.isMessageSet(message) {
            report(at, "Field numbers cannot be greater than 536870911.")
            return
        }
        if !message.extensionRange.contains(where: { x.number >= $0.start && x.number < $0.end }) {
            report(at, "\"\(extendee)\" does not declare \(x.number) as an extension number.")
        }
        let key = "\(extendee):\(x.number)"
        if let owner = extensionOwners[key], owner != at {
            report(at, "Extension number \(x.number) has already been used in \"\(extendee)\" by extension \"\(owner)\".")
        } else {
            extensionOwners[key] = at
        }
    }
}
