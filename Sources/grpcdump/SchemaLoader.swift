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
        files += try compileSources()
        if let reflect = options.reflect.flatMap(ReflectTarget.init) { files += await reflectedFiles(reflect) }
        let pool = DescriptorPool(files: files)
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
    /// imports resolve across them (-I directories first, as protoc looks them up).
    func compileSources() throws(Failure) -> [Google_Protobuf_FileDescriptorProto] {
        var importPaths = options.importPaths
        var targets: [String] = []
        for path in options.protos {
            guard FileManager.default.isReadableFile(atPath: path) else { throw Failure(description: "\(path): cannot read the .proto file") }
            let directory = (path as NSString).deletingLastPathComponent
            if !importPaths.contains(where: { Self.contains($0, path) }) { importPaths.append(directory.isEmpty ? "." : directory) }
            targets.append(path)
        }
        for directory in dissectorDirectories {
            guard let names = FileManager.default.enumerator(atPath: directory) else {
                TextOutput.error("schema: \(directory): not a readable directory of .proto files")
                continue
            }
            importPaths.append(directory)
            targets += names.compactMap { $0 as? String }.filter { $0.hasSuffix(".proto") }.sorted()
        }
        guard !targets.isEmpty else { return [] }
        var seen = Set<String>()
        let compilation = ProtoCompiler(importPaths: importPaths).compile(targets.filter { seen.insert($0).inserted })
        for diagnostic in compilation.diagnostics { TextOutput.error(diagnostic.description) }
        return compilation.files
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
