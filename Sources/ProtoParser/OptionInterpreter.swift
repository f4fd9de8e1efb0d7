import SwiftProtobuf

/// The options messages of descriptor.proto all carry `uninterpreted_option`.
protocol OptionsMessage: SwiftProtobuf.Message {
    var uninterpretedOption: [Google_Protobuf_UninterpretedOption] { get set }
}

extension Google_Protobuf_FileOptions: OptionsMessage {}
extension Google_Protobuf_MessageOptions: OptionsMessage {}
extension Google_Protobuf_FieldOptions: OptionsMessage {}
extension Google_Protobuf_OneofOptions: OptionsMessage {}
extension Google_Protobuf_ExtensionRangeOptions: OptionsMessage {}
extension Google_Protobuf_EnumOptions: OptionsMessage {}
extension Google_Protobuf_EnumValueOptions: OptionsMessage {}
extension Google_Protobuf_ServiceOptions: OptionsMessage {}
extension Google_Protobuf_MethodOptions: OptionsMessage {}

/// Interprets `option` statements: resolves each option name against the
/// `*Options` message (built-in fields, nested paths like
/// `features.field_presence`, and custom options declared with `extend`),
/// encodes the value in wire format and merges it into the options message.
/// Custom options thereby end up as unknown fields, in source order.
/// (protobuf.dev/reference/protobuf/proto3-spec, "Option"; custom options:
/// protobuf.dev/programming-guides/proto2#customoptions.)
struct OptionInterpreter {
    var lookup: DescriptorLookup
    var diagnostics: [ProtoDiagnostic] = []
    var fileName: String
    var locations: [String: (line: Int, column: Int)]
    var packagePrefix: String

    init(lookup: DescriptorLookup, fileName: String, package: String, locations: [String: (line: Int, column: Int)]) {
        self.lookup = lookup
        self.fileName = fileName
        self.packagePrefix = package
        self.locations = locations
    }

    /// Newer compilers (those whose descriptor.proto defines `FeatureSet`)
    /// re-serialize interpreted options as a whole: custom options in number
    /// order, repeated settings of one message-valued option merged. Older ones
    /// keep each custom option assignment as a separate field, in source order.
    var canonicalOptions: Bool {
        lookup.user.symbols["google.protobuf.FeatureSet"] != nil
    }

    private func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    /// Reports at the option's own position when known, else at the element.
    private mutating func error(_ fullName: String, _ message: String, optionIndex: Int? = nil) {
        let rel = packagePrefix.isEmpty || !fullName.hasPrefix(packagePrefix + ".") ? fullName : String(fullName.dropFirst(packagePrefix.count + 1))
        let loc = optionIndex.flatMap { locations["opt:\(rel):\($0)"] } ?? locations[rel] ?? (1, 1)
        diagnostics.append(ProtoDiagnostic(file: fileName, line: loc.line, column: loc.column, message: message))
    }

    mutating func interpret(_ file: inout Google_Protobuf_FileDescriptorProto) {
        let pkg = file.package
        if file.hasOptions {
            if !interpret(&file.options, "google.protobuf.FileOptions", scope: pkg.isEmpty ? "dummy" : pkg + ".dummy", element: "") { file.clearOptions() }
        }
        for i in file.messageType.indices { interpretMessage(&file.messageType[i], scope: pkg) }
        for i in file.enumType.indices { interpretEnum(&file.enumType[i], scope: pkg) }
        for i in file.extension.indices { interpretField(&file.extension[i], scope: pkg) }
        for i in file.service.indices {
            let name = join(pkg, file.service[i].name)
            if file.service[i].hasOptions {
                if !interpret(&file.service[i].options, "google.protobuf.ServiceOptions", scope: name, element: name) { file.service[i].clearOptions() }
            }
            for j in file.service[i].method.indices where file.service[i].method[j].hasOptions {
                let mname = name + "." + file.service[i].method[j].name
                if !interpret(&file.service[i].method[j].options, "google.protobuf.MethodOptions", scope: mname, element: mname) { file.service[i].method[j].clearOptions() }
            }
        }
    }

    private mutating func interpretMessage(_ m: inout Google_Protobuf_DescriptorProto, scope: String) {
        let name = join(scope, m.name)
        if m.hasOptions, !interpret(&m.options, "google.protobuf.MessageOptions", scope: name, element: name) { m.clearOptions() }
        for i in m.field.indices { interpretField(&m.field[i], scope: name) }
        for i in m.oneofDecl.indices where m.oneofDecl[i].hasOptions {
            let oname = name + "." + m.oneofDecl[i].name
            if !interpret(&m.oneofDecl[i].options, "google.protobuf.OneofOptions", scope: oname, element: oname) { m.oneofDecl[i].clearOptions() }
        }
        for i in m.extensionRange.indices where m.extensionRange[i].hasOptions {
            if !interpret(&m.extensionRange[i].options, "google.protobuf.ExtensionRangeOptions", scope: name, element: name + "#extensions") { m.extensionRange[i].clearOptions() }
        }
        for i in m.nestedType.indices { interpretMessage(&m.nestedType[i], scope: name) }
        for i in m.enumType.indices { interpretEnum(&m.enumType[i], scope: name) }
        for i in m.extension.indices { interpretField(&m.extension[i], scope: name) }
    }

    private mutating func interpretField(_ f: inout Google_Protobuf_FieldDescriptorProto, scope: String) {
        guard f.hasOptions else { return }
        let name = join(scope, f.name)
        if !interpret(&f.options, "google.protobuf.FieldOptions", scope: name, element: name) { f.clearOptions() }
    }

    private mutating func interpretEnum(_ e: inout Google_Protobuf_EnumDescriptorProto, scope: String) {
        let name = join(scope, e.name)
        if e.hasOptions, !interpret(&e.options, "google.protobuf.EnumOptions", scope: name, element: name) { e.clearOptions() }
        for i in e.value.indices where e.value[i].hasOptions {
            let vname = join(scope, e.value[i].name)
            if !interpret(&e.value[i].options, "google.protobuf.EnumValueOptions", scope: vname, element: vname) { e.value[i].clearOptions() }
        }
    }

    /// Interprets the options in place; returns false when the options message
    /// should be removed (every option in it had source retention).
    @discardableResult
    private mutating func interpret<O: OptionsMessage>(_ options: inout O, _ typeName: String, scope: String, element: String) -> Bool {
        let list = options.uninterpretedOption
        guard !list.isEmpty else { return true }
        options.uninterpretedOption = []
        var bytes: [UInt8] = []
        var stripped = false
        var setPaths: [[Google_Protobuf_FieldDescriptorProto]] = []
        for (optionIndex, option) in list.enumerated() {
            do {
                if let path = try? resolvePath(option, optionsType: "." + typeName, scope: scope) {
                    if setPaths.contains(where: { OptionInterpreter.conflicts($0, path) }) {
                        throw OptionError(message: "Option \"\(OptionInterpreter.displayName(option.name))\" was already set.")
                    }
                    setPaths.append(path)
                }
                guard let encoded = try encode(option, optionsType: "." + typeName, scope: scope) else {
                    stripped = true
                    continue
                }
                bytes += encoded
            } catch let e as OptionError {
                error(element, e.message, optionIndex: optionIndex)
            } catch {
                self.error(element, "\(error)", optionIndex: optionIndex)
            }
        }
        if canonicalOptions {
            bytes = WireCanonicalizer(lookup: lookup).canonicalize(bytes, typeName: "." + typeName)
        }
        do {
            try options.merge(serializedBytes: bytes)
            // Options that were all source-retention leave no options message behind.
            if stripped, (try? options.serializedBytes() as [UInt8])?.isEmpty == true, !optionsTypeIsRedefined(typeName) {
                return false
            }
        } catch {
            self.error(element, "Option values could not be encoded: \(error)")
        }
        return true
    }

    static func displayName(_ parts: [Google_Protobuf_UninterpretedOption.NamePart]) -> String {
        parts.map { $0.isExtension ? "(\($0.namePart))" : $0.namePart }.joined(separator: ".")
    }

    /// Whether the `*Options` message was defined by a compiled file other than
    /// `google/protobuf/descriptor.proto` (a renamed copy of it). Options
    /// emptied by source-retention stripping are then kept as empty messages,
    /// as the reference compiler does.
    private func optionsTypeIsRedefined(_ typeName: String) -> Bool {
        guard let symbol = lookup.user.symbols[typeName] else { return false }
        return symbol.file != "google/protobuf/descriptor.proto"
    }

    /// A new assignment `b` conflicts with an earlier `a` when `b`'s path is a
    /// prefix of (or equal to) `a`'s and no field along it is repeated;
    /// setting a sub-field after the whole message is allowed (it merges).
    static func conflicts(_ a: [Google_Protobuf_FieldDescriptorProto], _ b: [Google_Protobuf_FieldDescriptorProto]) -> Bool {
        guard b.count <= a.count else { return false }
        for i in 0..<b.count {
            if a[i].number != b[i].number || a[i].extendee != b[i].extendee { return false }
            if a[i].label == .repeated { return false }
        }
        return true
    }

    /// The option as wire-format bytes, or nil when it has source retention
    /// (`retention = RETENTION_SOURCE` options are not written to descriptors).
    private func encode(_ option: Google_Protobuf_UninterpretedOption, optionsType: String, scope: String) throws -> [UInt8]? {
        var path = try resolvePath(option, optionsType: optionsType, scope: scope)
        let display = OptionInterpreter.displayName(option.name)
        guard let last = path.last else { throw OptionError(message: "Empty option name.") }
        if !last.hasExtendee, path.count == 1, last.name == "uninterpreted_option" {
            throw OptionError(message: "Option must not use reserved name \"uninterpreted_option\".")
        }
        var bytes: [UInt8]
        if let k = path.firstIndex(where: DescriptorLookup.hasSourceRetention) {
            if k == 0 { return nil }
            bytes = []
            path = Array(path[...k])
        } else {
            bytes = try OptionValueEncoder(lookup: lookup).encodeField(last, OptionValue(option), optionName: display, depth: 0)
        }
        for f in path.dropLast().reversed() {
            bytes = f.type == .group ? WireWriter.group(f.number, bytes) : WireWriter.lengthDelimited(f.number, bytes)
        }
        return bytes
    }

    /// The fields named by an option name, outermost first.
    private func resolvePath(_ option: Google_Protobuf_UninterpretedOption, optionsType: String, scope: String) throws -> [Google_Protobuf_FieldDescriptorProto] {
        var path: [Google_Protobuf_FieldDescriptorProto] = []
        var current = optionsType
        for (i, part) in option.name.enumerated() {
            let soFar = OptionInterpreter.displayName(Array(option.name[...i]))
            guard let message = lookup.message(current) else {
                throw OptionError(message: "Option \"\(soFar)\" unknown: message type \"\(current.dropFirst())\" is not available.")
            }
            var field: Google_Protobuf_FieldDescriptorProto
            if part.isExtension {
                guard let found = lookup.user.lookup(part.namePart, relativeTo: scope, typesOnly: false) else {
                    throw OptionError(message: "Option \"\(soFar)\" unknown. Ensure that your proto definition file imports the proto which defines the option.")
                }
                guard found.symbol.kind == .field, let ext = lookup.extensionField(found.name), ext.hasExtendee else {
                    throw OptionError(message: "Option \"\(soFar)\" is resolved to \"(\(found.name))\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(.\(part.namePart))\") to start from the outermost scope.")
                }
                guard ext.extendee == current else {
                    throw OptionError(message: "\"\(found.name)\" is not an extension of \"\(current.dropFirst())\".")
                }
                field = ext
            } else {
                guard let f = message.field.first(where: { $0.name == part.namePart }) else {
                    throw OptionError(message: "Option \"\(soFar)\" unknown.")
                }
                field = f
            }
            if i < option.name.count - 1 {
                guard field.type == .message || field.type == .group else {
                    throw OptionError(message: "Option \"\(soFar)\" is an atomic type, not a message.")
                }
                current = field.typeName
            }
            path.append(field)
        }
        return path
    }
}
