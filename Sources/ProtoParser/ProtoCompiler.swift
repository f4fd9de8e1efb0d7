import Foundation
import SwiftProtobuf

/// The result of compiling a set of `.proto` files.
public struct ProtoCompilation: Sendable {
    /// Every file compiled, imports included, dependencies before dependents
    /// (the order of a descriptor set written with all imports).
    public var files: [Google_Protobuf_FileDescriptorProto]
    /// Syntax, link and option errors. A file with errors is left out; the
    /// other files are still returned.
    public var diagnostics: [ProtoDiagnostic]

    public init(files: [Google_Protobuf_FileDescriptorProto], diagnostics: [ProtoDiagnostic]) {
        self.files = files
        self.diagnostics = diagnostics
    }

    /// The files as a `FileDescriptorSet`.
    public var fileDescriptorSet: Google_Protobuf_FileDescriptorSet {
        var set = Google_Protobuf_FileDescriptorSet()
        set.file = files
        return set
    }
}

/// Loads `.proto` files by import path, parses them, links type names and
/// interprets options (protobuf.dev/reference/protobuf/proto3-spec, "Import statement").
public struct ProtoCompiler: Sendable {
    private let loader: @Sendable (String) -> String?
    private let importPaths: [String]

    /// `importPaths`: directories searched in order for imported files.
    public init(importPaths: [String]) {
        let paths = importPaths.map { ProtoCompiler.normalize($0) }
        self.importPaths = paths
        self.loader = { name in
            for dir in paths {
                let candidate = dir.isEmpty ? name : dir + "/" + name
                if let data = FileManager.default.contents(atPath: candidate) {
                    return String(decoding: data, as: UTF8.self)
                }
            }
            return nil
        }
    }

    /// In-memory sources: `loader` maps an import path ("a/b.proto") to its text.
    public init(loader: @escaping @Sendable (String) -> String?) {
        self.importPaths = []
        self.loader = loader
    }

    static func normalize(_ path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        if p == "." { return "" }
        return p
    }

    /// Maps a filesystem path under one of the import paths to its import-relative name.
    func virtualName(_ file: String) -> String {
        let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
        for dir in importPaths {
            let base = dir.isEmpty ? FileManager.default.currentDirectoryPath : dir
            let absDir = URL(fileURLWithPath: base).standardizedFileURL.path
            if absolute.hasPrefix(absDir + "/"), FileManager.default.fileExists(atPath: file) {
                return String(absolute.dropFirst(absDir.count + 1))
            }
        }
        return file
    }

    /// Compiles `files` (import-relative names or paths under an import path)
    /// and everything they import.
    public func compile(_ files: [String]) -> ProtoCompilation {
        let session = CompileSession(loader: loader)
        for f in files {
            _ = session.process(virtualName(f), importer: nil, depth: 0)
        }
        return ProtoCompilation(files: session.output, diagnostics: session.diagnostics)
    }
}

/// Descriptors of the built-in descriptor.proto, compiled once.
enum BuiltinDescriptors {
    static let table: SymbolTable = {
        let parsed = ProtoFileParser.parseWithLocations(DescriptorSource.text, path: "google/protobuf/descriptor.proto")
        var linker = Linker()
        var file = parsed.file
        linker.register(file, locations: parsed.locations)
        linker.resolve(&file, locations: parsed.locations)
        // Its own options (e.g. `retention`) are interpreted against itself.
        var interpreter = OptionInterpreter(
            lookup: DescriptorLookup(user: linker.table, builtin: linker.table),
            fileName: file.name, package: file.package, locations: parsed.locations)
        interpreter.interpret(&file)
        linker.index(file)
        return linker.table
    }()
}

/// Mutable state of one `compile` call.
final class CompileSession {
    enum State { case visiting, succeeded, failed }

    let loader: @Sendable (String) -> String?
    var states: [String: State] = [:]
    var stack: [String] = []
    var output: [Google_Protobuf_FileDescriptorProto] = []
    var diagnostics: [ProtoDiagnostic] = []
    var linker = Linker()
    static let maxImportDepth = 200

    init(loader: @escaping @Sendable (String) -> String?) {
        self.loader = loader
    }

    /// Compiles `name` after its imports; returns whether it compiled without errors.
    func process(_ name: String, importer: (file: String, line: Int, column: Int)?, depth: Int) -> Bool {
        func report(_ message: String) {
            if let importer {
                diagnostics.append(ProtoDiagnostic(file: importer.file, line: importer.line, column: importer.column, message: message))
            } else {
                diagnostics.append(ProtoDiagnostic(file: name, line: 1, column: 1, message: message))
            }
        }
        switch states[name] {
        case .succeeded?: return true
        case .failed?: return false
        case .visiting?:
            report("File recursively imports itself: \((stack + [name]).joined(separator: " -> "))")
            return false
        case nil: break
        }
        guard depth < CompileSession.maxImportDepth else {
            report("Import depth limit exceeded.")
            return false
        }
        guard let source = loader(name) else {
            if importer == nil { report("File not found.") }
            states[name] = .failed
            return false
        }
        states[name] = .visiting
        stack.append(name)
        let parsed = ProtoFileParser.parseWithLocations(source, path: name)
        diagnostics += parsed.diagnostics
        var ok = parsed.diagnostics.isEmpty
        for dep in parsed.file.dependency + parsed.file.optionDependency {
            let loc = parsed.locations["import:" + dep] ?? (1, 1)
            if !process(dep, importer: (name, loc.line, loc.column), depth: depth + 1) {
                if states[dep] != .visiting && ok {
                    diagnostics.append(ProtoDiagnostic(file: name, line: loc.line, column: loc.column, message: "Import \"\(dep)\" was not found or had errors."))
                }
                ok = false
            }
        }
        stack.removeLast()
        guard ok else {
            states[name] = .failed
            return false
        }
        var file = parsed.file
        let before = linker.diagnostics.count
        linker.register(file, locations: parsed.locations)
        linker.resolve(&file, locations: parsed.locations)
        let linkErrors = Array(linker.diagnostics[before...])
        diagnostics += linkErrors
        var interpreter = OptionInterpreter(
            lookup: DescriptorLookup(user: linker.table, builtin: BuiltinDescriptors.table),
            fileName: name, package: file.package, locations: parsed.locations)
        interpreter.interpret(&file)
        diagnostics += interpreter.diagnostics
        linker.index(file)
        guard linkErrors.isEmpty, interpreter.diagnostics.isEmpty else {
            states[name] = .failed
            return false
        }
        states[name] = .succeeded
        output.append(file)
        return true
    }
}
