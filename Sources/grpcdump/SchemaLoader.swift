import Foundation
import ProtoParser
import Reference
import Render
import Schema
import SwiftProtobuf

/// Loads the schemas the options name, in order of precedence (the first definition of a file or
/// a type wins): --protoset files, --proto files, --reflect, --dissectors and GRPCDUMP_DISSECTORS
/// directories, then the bundled dissectors/. Problems in a schema are reported and the rest
/// still loads; a schema file that cannot be read at all is an error.
struct SchemaLoader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var options: SchemaOptions
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The directories of .proto files loaded as a whole, user directories first.
    var dissectorDirectories: [String] {
        guard !options.noDissectors else { return [] }
        let fromEnvironment = (environment["GRPCDUMP_DISSECTORS"] ?? "").split(separator: ":").map(String.init)
        return options.dissectorDirectories + fromEnvironment + (Self.bundleDirectory().map { [$0] } ?? [])
    }

    func load() async throws(Failure) -> MessageTypes {
        var files: [Google_Protobuf_FileDescriptorProto] = []
        for path in options.protosets {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot read the protoset") }
            do {
                files += try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes).file
            } catch {
                throw Failure(description: "\(path): not a FileDescriptorSet (\(error))")
            }
        }
        let (compiled, bundled) = try compileSources()
        files += compiled
        if let reflect = options.reflect.flatMap(ReflectTarget.init) { files += await reflectedFiles(reflect) }
        // The schemas the user names take precedence over the bundle's without a warning; the
        // bundle's files come last, and a clash between two sources the user gave is reported.
        let order = files.filter { !bundled.contains($0.name) } + files.filter { bundled.contains($0.name) }
        let pool = DescriptorPool(files: order, fallbackFiles: bundled)
        for problem in pool.problems { TextOutput.error("schema: " + problem.message) }
        var types = MessageTypes(pool: pool)
        for (flag, name) in [("--type", options.type), ("--request-type", options.requestType), ("--response-type", options.responseType)] {
            if let name, pool.message(named: name) == nil {
                throw Failure(description: "\(flag) \(name): no such message type in the loaded schemas (a full name with its package, e.g. userservice.User)")
            }
        }
        types.forcedType = options.type
        types.forcedRequestType = options.requestType
        types.forcedResponseType = options.responseType
        return types
    }

    /// --proto files and every .proto file of the dissector directories, compiled together so that
    /// imports resolve across them (-I directories first, as protoc looks them up). Returns the
    /// files and the names of those that came from the bundled dissectors/ alone.
    func compileSources() throws(Failure) -> (files: [Google_Protobuf_FileDescriptorProto], bundled: Set<String>) {
        var importPaths = options.importPaths
        var targets: [String] = []
        for path in options.protos {
            if FileManager.default.isReadableFile(atPath: path) {
                let directory = (path as NSString).deletingLastPathComponent
                if !importPaths.contains(where: { Self.contains($0, path) }) { importPaths.append(directory.isEmpty ? "." : directory) }
                targets.append(path)
            } else if importPaths.contains(where: { FileManager.default.isReadableFile(atPath: ($0 as NSString).appendingPathComponent(path)) }) {
                // As protoc and grpcurl -proto -import-path: a name relative to an import path.
                targets.append(path)
            } else {
                let searched = options.importPaths.isEmpty ? "" : " nor in the import paths (\(options.importPaths.joined(separator: ", ")))"
                throw Failure(description: "\(path): cannot read the .proto file: not found in the current directory\(searched)")
            }
        }
        let userTargets = Set(targets)
        var bundled = Set<String>()
        let bundle = Self.bundleDirectory()
        for directory in dissectorDirectories {
            guard let names = FileManager.default.enumerator(atPath: directory) else {
                TextOutput.error("schema: \(directory): not a readable directory of .proto files")
                continue
            }
            importPaths.append(directory)
            let protos = names.compactMap { $0 as? String }.filter { $0.hasSuffix(".proto") }.sorted()
            if directory == bundle { bundled.formUnion(protos) }
            targets += protos
        }
        guard !targets.isEmpty else { return ([], []) }
        var seen = Set<String>()
        let compilation = ProtoCompiler(importPaths: importPaths).compile(targets.filter { seen.insert($0).inserted })
        // A bundled file that the user's directories or files also provide is the user's.
        let userDirectoryFiles = Set(dissectorDirectories.filter { $0 != bundle }.flatMap { directory in
            (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".proto") }
        })
        let fallback = bundled.subtracting(userTargets).subtracting(userDirectoryFiles)
        for diagnostic in compilation.diagnostics {
            // The bundle gives way to the user's own definitions of the same names, silently.
            if fallback.contains(diagnostic.file), diagnostic.message.contains("is already defined in file") { continue }
            TextOutput.error(diagnostic.description)
        }
        return (compilation.files, fallback)
    }

    static func contains(_ directory: String, _ path: String) -> Bool {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) || (directory == "." && !path.hasPrefix("/"))
    }

    /// The services' files from the server's reflection service; a failure is reported, not fatal.
    func reflectedFiles(_ target: ReflectTarget) async -> [Google_Protobuf_FileDescriptorProto] {
        do {
            let schema = try await ReflectionClient.fetch(ReferenceClient(host: target.host, port: target.port), timeout: .seconds(10))
            for problem in schema.problems { TextOutput.error("reflection (\(target.host):\(target.port)): " + problem) }
            return try schema.files.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) }
        } catch {
            TextOutput.error("reflection (\(target.host):\(target.port)): \(error); messages of its services decode raw")
            return []
        }
    }

    /// The bundled dissectors/: next to the executable's checkout (walking up from it, as in a
    /// development build under .build/), or installed in PREFIX/share/grpcdump/dissectors.
    static func bundleDirectory() -> String? {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let executable = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        while directory.path != "/" {
            for candidate in ["dissectors", "share/grpcdump/dissectors"] {
                let bundle = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: bundle.appendingPathComponent("google/protobuf/descriptor.proto").path) { return bundle.path }
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
