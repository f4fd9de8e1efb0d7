import Foundation
import ProtoParser
import Schema

/// The repository's dissectors/ bundle (the reference services, google.rpc, gRPC's own and the
/// well-known types), read once: the schemas the schema target decodes against, and the imports
/// the parser target may use. Found beside this source file, or at `GRPCDUMP_DISSECTORS`.
enum DissectorFiles {
    static let directory: String = ProcessInfo.processInfo.environment["GRPCDUMP_DISSECTORS"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../dissectors").standardized.path

    /// Every .proto file's text by its import path.
    static let sources: [String: String] = {
        var sources: [String: String] = [:]
        let root = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return sources }
        for case let path as String in walker where path.hasSuffix(".proto") {
            sources[path] = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        return sources
    }()

    /// All of them compiled into one pool.
    static let pool: DescriptorPool = {
        let files = sources
        let compilation = ProtoCompiler(loader: { files[$0] }).compile(files.keys.sorted())
        return DescriptorPool(files: compilation.files)
    }()

    static let messageNames = pool.messageNames
}
