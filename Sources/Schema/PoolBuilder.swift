import SwiftProtobuf
import WireCore

/// Builds a `DescriptorPool` in two passes: collect every definition by full name (first wins),
/// then build the schemas, resolving type references once all names are known.
struct PoolBuilder {
    struct PendingMessage {
        var fullName: String
        var proto: Google_Protobuf_DescriptorProto
        var syntax: String
    }

    struct PendingField {
        var proto: Google_Protobuf_FieldDescriptorProto
        /// The full name of the enclosing scope (package or message), for name resolution.
        var scope: String
        var syntax: String
    }

    var problems: [Diagnostic] = []
    /// Files whose definitions give way to earlier ones without a word (the bundled schemas, when
    /// the user's own define the same names).
    var fallbackFiles: Set<String> = []
    var pendingMessages: [PendingMessage] = []
    var pendingExtensions: [PendingField] = []
    var definedIn: [String: String] = [:]
    var messageKinds: Set<String> = []
    var enumKinds: Set<String> = []
    var mapEntries: Set<String> = []

    var messages: [String: MessageSchema] = [:]
    var enums: [String: EnumSchema] = [:]
    var methods: [String: MethodSchema] = [:]
    var extensions: [String: (extendee: String, field: FieldSchema)] = [:]
    var serviceNames: [String] = []
    var pendingServices: [(fullName: String, proto: Google_Protobuf_ServiceDescriptorProto, scope: String)] = []

    static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    static func syntax(of file: Google_Protobuf_FileDescriptorProto) -> String {
        if file.syntax == "editions" { return "editions" }
        return file.syntax == "proto3" ? "proto3" : "proto2"
    }

    /// Claims `fullName` for `file`; false (and a problem) when it is already defined.
    mutating func claim(_ fullName: String, _ kind: String, in file: String) -> Bool {
        if let first = definedIn[fullName] {
            guard !fallbackFiles.contains(file) else { return false }
            problems.append(Diagnostic(.schema, "schema.duplicate-definition", .warning, "\(kind) \(fullName) in \(file) is already defined in \(first); the first definition is kept"))
            return false
        }
        definedIn[fullName] = file
        return true
    }

    mutating func collect(_ file: Google_Protobuf_FileDescriptorProto) {
        let syntax = Self.syntax(of: file)
        let package = file.package
        for message in file.messageType { collect(message, scope: package, syntax: syntax, file: file.name) }
        for enumProto in file.enumType { collect(enumProto, scope: package, file: file.name) }
        for extensionField in file.extension {
            pendingExtensions.append(PendingField(proto: extensionField, scope: package, syntax: syntax))
        }
        for service in file.service {
            let fullName = Self.join(package, service.name)
            guard claim(fullName, "service", in: file.name) else { continue }
            pendingServices.append((fullName, service, package))
        }
    }

    /// A built-in file: collected only when none of its names is defined yet, silently.
    mutating func collectIfUndefined(_ file: Google_Protobuf_FileDescriptorProto) {
        let names = file.messageType.map { Self.join(file.package, $0.name) } + file.enumType.map { Self.join(file.package, $0.name) }
        guard !names.contains(where: { definedIn[$0] != nil }) else { return }
        collect(file)
    }

    mutating func collect(_ message: Google_Protobuf_DescriptorProto, scope: String, syntax: String, file: String) {
        let fullName = Self.join(scope, message.name)
        guard claim(fullName, "message", in: file) else { return }
        messageKinds.insert(fullName)
        if message.options.mapEntry { mapEntries.insert(fullName) }
        pendingMessages.append(PendingMessage(fullName: fullName, proto: message, syntax: syntax))
        for nested in message.nestedType { collect(nested, scope: fullName, syntax: syntax, file: file) }
        for enumProto in message.enumType { collect(enumProto, scope: fullName, file: file) }
        for extensionField in message.extension {
            pendingExtensions.append(PendingField(proto: extensionField, scope: fullName, syntax: syntax))
        }
    }

    mutating func collect(_ enumProto: Google_Protobuf_EnumDescriptorProto, scope: String, file: String) {
        let fullName = Self.join(scope, enumProto.name)
        guard claim(fullName, "enum", in: file) else { return }
        enumKinds.insert(fullName)
        enums[fullName] = EnumSchema(fullName: fullName, values: enumProto.value.map { ($0.name, $0.number) })
    }

    /// protobuf.dev "Language Guide (proto 2)", Packages and Name Resolution: a name starting with
    /// a dot is fully qualified; otherwise it is looked up from the innermost scope outwards.
    func resolve(_ name: String, scope: String) -> String? {
        if name.hasPrefix(".") {
            let full = String(name.dropFirst())
            return definedIn[full] != nil ? full : nil
        }
        var current = scope
        while true {
            let candidate = Self.join(current, name)
            if messageKinds.contains(candidate) || enumKinds.contains(candidate) { return candidate }
            if current.isEmpty { return nil }
            if let dot = current.lastIndex(of: ".") { current = String(current[..<dot]) } else { current = "" }
        }
    }

    mutating func build() {
        for pending in pendingMessages {
            let proto = pending.proto
            let oneofs = proto.oneofDecl.map(\.name)
            var fields: [FieldSchema] = []
            for fieldProto in proto.field {
                guard let field = self.field(fieldProto, scope: pending.fullName, syntax: pending.syntax, oneofs: oneofs, owner: pending.fullName) else { continue }
                fields.append(field)
            }
            messages[pending.fullName] = MessageSchema(fullName: pending.fullName, fields: fields, isMapEntry: proto.options.mapEntry,
                                                       syntax: pending.syntax, oneofNames: oneofs)
        }
        for pending in pendingExtensions {
            let proto = pending.proto
            guard let extendee = resolve(proto.extendee, scope: pending.scope), messageKinds.contains(extendee) else {
                problems.append(Diagnostic(.schema, "schema.extension.unknown-extendee", .warning, "extension \(Self.join(pending.scope, proto.name)) extends unknown message \(proto.extendee)"))
                continue
            }
            guard var field = self.field(proto, scope: pending.scope, syntax: pending.syntax, oneofs: [], owner: pending.scope) else { continue }
            let fullName = Self.join(pending.scope, proto.name)
            // protobuf.dev "ProtoJSON Format": extensions are named "[full.name]".
            field.jsonName = "[\(fullName)]"
            field.name = "[\(fullName)]"
            if extensions[fullName] == nil { extensions[fullName] = (extendee, field) }
        }
        for (fullName, service, _) in pendingServices {
            serviceNames.append(fullName)
            for method in service.method {
                let path = "/\(fullName)/\(method.name)"
                let input = resolve(method.inputType, scope: fullName) ?? PoolBuilder.plain(method.inputType)
                let output = resolve(method.outputType, scope: fullName) ?? PoolBuilder.plain(method.outputType)
                if messages[input] == nil { problems.append(Diagnostic(.schema, "schema.method.undefined-type", .warning, "method \(path): input type \(method.inputType) is not defined")) }
                if messages[output] == nil { problems.append(Diagnostic(.schema, "schema.method.undefined-type", .warning, "method \(path): output type \(method.outputType) is not defined")) }
                guard methods[path] == nil else { continue }
                methods[path] = MethodSchema(path: path, serviceName: fullName, name: method.name, inputType: input, outputType: output,
                                             clientStreaming: method.clientStreaming, serverStreaming: method.serverStreaming)
            }
        }
        serviceNames.sort()
    }

    static func plain(_ name: String) -> String { name.hasPrefix(".") ? String(name.dropFirst()) : name }

    mutating func field(_ proto: Google_Protobuf_FieldDescriptorProto, scope: String, syntax: String, oneofs: [String], owner: String) -> FieldSchema? {
        var typeName: String?
        var type = proto.hasType ? FieldType(proto.type) : nil
        if !proto.typeName.isEmpty {
            guard let resolved = resolve(proto.typeName, scope: scope) else {
                problems.append(Diagnostic(.schema, "schema.field.undefined-type", .warning, "field \(owner).\(proto.name): type \(proto.typeName) is not defined"))
                return FieldSchema(name: proto.name, jsonName: proto.hasJsonName ? proto.jsonName : nil, number: Int(proto.number),
                                   type: type ?? .message, isRepeated: proto.label == .repeated, typeName: PoolBuilder.plain(proto.typeName),
                                   oneofName: oneofName(proto, oneofs))
            }
            typeName = resolved
            if type == nil || type == .message || type == .enum {
                if type != .group { type = enumKinds.contains(resolved) ? .enum : .message }
            }
        }
        guard var fieldType = type else { return nil }
        // Editions: DELIMITED message encoding is the group wire format.
        if fieldType == .message, proto.options.features.messageEncoding == .delimited { fieldType = .group }
        let repeated = proto.label == .repeated
        var packed = false
        if repeated, fieldType.isPackable {
            if proto.options.hasPacked {
                packed = proto.options.packed
            } else if syntax == "proto3" {
                packed = true
            } else if syntax == "editions" {
                packed = proto.options.features.repeatedFieldEncoding != .expanded
            }
        }
        let isMap = repeated && fieldType == .message && typeName.map { mapEntries.contains($0) } == true
        return FieldSchema(name: proto.name, jsonName: proto.hasJsonName ? proto.jsonName : nil, number: Int(proto.number),
                           type: fieldType, isRepeated: repeated, isPacked: packed, typeName: typeName, isMap: isMap,
                           oneofName: oneofName(proto, oneofs), defaultValue: proto.hasDefaultValue ? proto.defaultValue : nil)
    }

    func oneofName(_ proto: Google_Protobuf_FieldDescriptorProto, _ oneofs: [String]) -> String? {
        guard proto.hasOneofIndex, !proto.proto3Optional, oneofs.indices.contains(Int(proto.oneofIndex)) else { return nil }
        return oneofs[Int(proto.oneofIndex)]
    }
}
