import SwiftProtobuf

/// Registers the names a file defines and resolves the type names it uses
/// into fully-qualified `.pkg.Type` form; fills `json_name` for every field.
struct Linker {
    var table = SymbolTable()
    var diagnostics: [ProtoDiagnostic] = []

    private var currentFile = ""
    private var locations: [String: (line: Int, column: Int)] = [:]
    private var packagePrefix = ""
    private var packedByDefault = false
    /// Direct and public dependencies of every registered file.
    private var dependencies: [String: (all: [String], publicOnly: [String])] = [:]
    /// Files whose definitions the file being resolved may use.
    private var visibleFiles: Set<String> = []

    /// The file itself, its imports, and whatever those re-export with
    /// `import public`, transitively (proto3-spec, "Import statement").
    private func visibleFiles(of file: String) -> Set<String> {
        var visible: Set<String> = [file]
        var pending = dependencies[file]?.all ?? []
        while let next = pending.popLast() {
            if visible.insert(next).inserted {
                pending += dependencies[next]?.publicOnly ?? []
            }
        }
        return visible
    }

    /// Looks a name up and checks that the defining file is imported.
    private mutating func lookupVisible(_ name: String, relativeTo: String, typesOnly: Bool, at: String) -> (name: String, symbol: SymbolTable.Symbol)?? {
        guard let found = table.lookup(name, relativeTo: relativeTo, typesOnly: typesOnly) else { return nil }
        if found.symbol.kind != .package, !visibleFiles.contains(found.symbol.file) {
            error(relative(at), "\"\(name)\" seems to be defined in \"\(found.symbol.file)\", which is not imported by \"\(currentFile)\".  To use it here, please add the necessary import.")
            return .some(nil)
        }
        return found
    }

    /// Which extension first claimed each `extendee:number`.
    var extensionOwners: [String: String] = [:]

    /// Reports at the position of the element with this fully-qualified name.
    mutating func report(_ fullName: String, _ message: String) {
        error(relative(fullName), message)
    }

    private mutating func error(_ relativeName: String, _ message: String) {
        let loc = locations[relativeName] ?? (1, 1)
        diagnostics.append(ProtoDiagnostic(file: currentFile, line: loc.line, column: loc.column, message: message))
    }

    private func relative(_ full: String) -> String {
        packagePrefix.isEmpty ? full : String(full.dropFirst(packagePrefix.count + 1))
    }

    // MARK: Registration

    private mutating func define(_ full: String, _ kind: SymbolTable.Kind) {
        if let existing = table.symbols[full] {
            if existing.kind == .package && kind == .package { return }
            let shortName = full.split(separator: ".").last.map(String.init) ?? full
            if existing.file == currentFile {
                error(relative(full), "\"\(shortName)\" is already defined in \"\(full.dropLast(shortName.count + 1))\".")
            } else {
                error(relative(full), "\"\(full)\" is already defined in file \"\(existing.file)\".")
            }
            return
        }
        table.symbols[full] = SymbolTable.Symbol(kind: kind, file: currentFile)
    }

    mutating func register(_ file: Google_Protobuf_FileDescriptorProto, locations: [String: (line: Int, column: Int)]) {
        currentFile = file.name
        self.locations = locations
        packagePrefix = file.package
        dependencies[file.name] = (file.dependency, file.publicDependency.compactMap { i in
            file.dependency.indices.contains(Int(i)) ? file.dependency[Int(i)] : nil
        })
        if !file.package.isEmpty {
            var prefix = ""
            for part in file.package.split(separator: ".", omittingEmptySubsequences: false) {
                prefix = prefix.isEmpty ? String(part) : prefix + "." + part
                define(prefix, .package)
            }
        }
        let scope = file.package
        for m in file.messageType { registerMessage(m, scope: scope, proto3: file.syntax == "proto3" || file.syntax == "editions") }
        for e in file.enumType { registerEnum(e, scope: scope) }
        for x in file.extension { define(join(scope, x.name), .field) }
        for s in file.service {
            let name = join(scope, s.name)
            define(name, .service)
            for m in s.method { define(name + "." + m.name, .method) }
        }
    }

    private func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    private mutating func registerMessage(_ m: Google_Protobuf_DescriptorProto, scope: String, proto3: Bool) {
        let name = join(scope, m.name)
        define(name, .message)
        table.messageIsProto3[name] = proto3
        for f in m.field { define(name + "." + f.name, .field) }
        for o in m.oneofDecl { define(name + "." + o.name, .oneof) }
        for n in m.nestedType { registerMessage(n, scope: name, proto3: proto3) }
        for e in m.enumType { registerEnum(e, scope: name) }
        for x in m.extension { define(name + "." + x.name, .field) }
    }

    private mutating func registerEnum(_ e: Google_Protobuf_EnumDescriptorProto, scope: String) {
        let name = join(scope, e.name)
        define(name, .enumType)
        table.enumValueNames[name] = Set(e.value.map(\.name))
        // Enum values are siblings of their enum type, not children of it.
        for v in e.value { define(join(scope, v.name), .enumValue) }
    }

    // MARK: Resolution

    mutating func resolve(_ file: inout Google_Protobuf_FileDescriptorProto, locations: [String: (line: Int, column: Int)]) {
        currentFile = file.name
        self.locations = locations
        packagePrefix = file.package
        visibleFiles = visibleFiles(of: file.name)
        let scope = file.package
        for i in file.messageType.indices { resolveMessage(&file.messageType[i], scope: scope) }
        for i in file.extension.indices { resolveField(&file.extension[i], scope: scope, message: nil) }
        for i in file.service.indices {
            let sname = join(scope, file.service[i].name)
            for j in file.service[i].method.indices {
                var m = file.service[i].method[j]
                let rel = sname + "." + m.name
                if let t = resolveMessageType(m.inputType, relativeTo: rel, at: rel) { m.inputType = t }
                if let t = resolveMessageType(m.outputType, relativeTo: rel, at: rel) { m.outputType = t }
                file.service[i].method[j] = m
            }
        }
        index(file)
        validate(file)
    }

    private mutating func resolveMessageType(_ name: String, relativeTo: String, at: String) -> String? {
        guard let lookedUp = lookupVisible(name, relativeTo: relativeTo, typesOnly: false, at: at) else {
            error(relative(at), "\"\(name)\" is not defined.")
            return nil
        }
        guard let found = lookedUp else { return nil }
        guard found.symbol.kind == .message else {
            error(relative(at), "\"\(name)\" is not a message type.")
            return nil
        }
        return "." + found.name
    }

    private mutating func resolveMessage(_ m: inout Google_Protobuf_DescriptorProto, scope: String) {
        let name = join(scope, m.name)
        var numbers: [Int32: String] = [:]
        for i in m.field.indices {
            resolveField(&m.field[i], scope: name, message: name)
            let f = m.field[i]
            if let other = numbers[f.number] {
                error(relative(name + "." + f.name), "Field number \(f.number) has already been used in \"\(name)\" by field \"\(other)\".")
            } else {
                numbers[f.number] = f.name
            }
        }
        for i in m.nestedType.indices { resolveMessage(&m.nestedType[i], scope: name) }
        for i in m.extension.indices { resolveField(&m.extension[i], scope: name, message: nil) }
    }

    private mutating func resolveField(_ f: inout Google_Protobuf_FieldDescriptorProto, scope: String, message: String?) {
        let full = scope.isEmpty ? f.name : scope + "." + f.name
        if !f.hasJsonName { f.jsonName = JsonName.from(f.name) }
        if f.number <= 0 {
            error(relative(full), "Field numbers must be positive integers.")
        } else if f.number > 536_870_911, !f.hasExtendee {
            // Extensions of message sets may go up to 2147483646 (checked in validation).
            error(relative(full), "Field numbers cannot be greater than 536870911.")
        } else if f.number >= 19000 && f.number <= 19999 {
            error(relative(full), "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.")
        }
        if f.hasExtendee {
            if let t = resolveMessageType(f.extendee, relativeTo: full, at: full) { f.extendee = t }
        }
        if f.hasTypeName {
            guard let lookedUp = lookupVisible(f.typeName, relativeTo: full, typesOnly: true, at: full) else {
                error(relative(full), "\"\(f.typeName)\" is not defined.")
                return
            }
            guard let found = lookedUp else { return }
            switch found.symbol.kind {
            case .message:
                if !f.hasType { f.type = .message }
                if f.type != .message && f.type != .group {
                    error(relative(full), "\"\(f.typeName)\" is not an enum type.")
                }
            case .enumType:
                if !f.hasType { f.type = .enum }
                if f.type != .enum {
                    error(relative(full), "\"\(f.typeName)\" is not a message type.")
                }
            default:
                error(relative(full), "\"\(f.typeName)\" is not a type.")
                return
            }
            f.typeName = "." + found.name
            if f.type == .enum, f.hasDefaultValue {
                if table.enumValueNames[found.name]?.contains(f.defaultValue) != true {
                    error(relative(full), "Enum type \"\(found.name)\" has no value named \"\(f.defaultValue)\".")
                }
            } else if f.type == .message || f.type == .group, f.hasDefaultValue {
                error(relative(full), "Messages can't have default values.")
            }
        }
    }

    // MARK: Index for option interpretation

    mutating func index(_ file: Google_Protobuf_FileDescriptorProto) {
        let scope = file.package
        packedByDefault = file.syntax == "proto3" || file.syntax == "editions"
        for m in file.messageType { indexMessage(m, scope: scope) }
        for e in file.enumType { table.enums[join(scope, e.name)] = e }
        for x in file.extension { indexExtension(x, scope: scope) }
    }

    private mutating func indexMessage(_ m: Google_Protobuf_DescriptorProto, scope: String) {
        let name = join(scope, m.name)
        table.messages[name] = m
        for n in m.nestedType { indexMessage(n, scope: name) }
        for e in m.enumType { table.enums[name + "." + e.name] = e }
        for x in m.extension { indexExtension(x, scope: name) }
    }

    private mutating func indexExtension(_ x: Google_Protobuf_FieldDescriptorProto, scope: String) {
        let name = join(scope, x.name)
        table.extensions[name] = x
        table.extensionPackedByDefault[name] = packedByDefault
        table.extensionsByNumber[x.extendee, default: [:]][x.number] = name
    }
}

/// lowerCamelCase JSON names: drop each "_" and uppercase the following letter
/// (protobuf.dev/reference/protobuf/proto3-spec, "json_name").
enum JsonName {
    static func from(_ name: String) -> String {
        var result = ""
        var capitalizeNext = false
        for c in name {
            if c == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += c.isASCII ? c.uppercased() : String(c)
                capitalizeNext = false
            } else {
                result.append(c)
            }
        }
        return result
    }
}
