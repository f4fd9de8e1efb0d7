import SwiftProtobuf
import WireCore

/// Every message, enum, service, method and extension of a set of files, by full name (no leading
/// dot), built once into lookup-friendly schemas.
///
/// The first file of a given name wins, and the first definition of a full name wins; what loses
/// is reported in `problems`, never fatal. Type references are resolved as protoc does
/// (protobuf.dev "Language Guide", Packages and Name Resolution): a leading dot is absolute,
/// otherwise the innermost enclosing scope that defines the name wins.
public struct DescriptorPool: Sendable {
    public private(set) var files: [Google_Protobuf_FileDescriptorProto]
    public var problems: [Diagnostic] = []
    var messages: [String: MessageSchema] = [:]
    var enums: [String: EnumSchema] = [:]
    var methods: [String: MethodSchema] = [:]
    /// Extensions by full name, with the message they extend.
    var extensions: [String: (extendee: String, field: FieldSchema)] = [:]
    /// Extension fields by extended message and number.
    var extensionFields: [String: [Int: FieldSchema]] = [:]
    public private(set) var serviceNames: [String] = []
    /// What the pool was built with, for `independentCopy`.
    private var includesWellKnownTypes = true
    private var fallbackFiles: Set<String> = []

    /// A descriptor set file could not be read.
    public struct InvalidDescriptorSet: Error, CustomStringConvertible {
        public var description: String
    }

    /// `includeWellKnownTypes`: after the given files, the well-known types with a JSON form
    /// (any, duration, empty, field_mask, struct, timestamp, wrappers) are added from a built-in
    /// copy unless their names are already defined; they are not listed in `files`.
    /// `fallbackFiles`: names of files (the bundled schemas) whose definitions give way to those of
    /// the files before them silently; a conflict between two other files is a problem.
    public init(files input: [Google_Protobuf_FileDescriptorProto], includeWellKnownTypes: Bool = true, fallbackFiles: Set<String> = []) {
        var seenFiles: [String: Int] = [:]
        var kept: [Google_Protobuf_FileDescriptorProto] = []
        var problems: [Diagnostic] = []
        for file in input {
            if let index = seenFiles[file.name] {
                // The same file twice (two protosets both including their imports) is no conflict.
                if kept[index] != file, !fallbackFiles.contains(file.name) { problems.append(Diagnostic(.schema, "schema.file.conflict", .warning, "file \(file.name) is given twice with different contents; the first is kept")) }
                continue
            }
            seenFiles[file.name] = kept.count
            kept.append(file)
        }
        self.files = kept
        includesWellKnownTypes = includeWellKnownTypes
        self.fallbackFiles = fallbackFiles
        var builder = PoolBuilder()
        builder.problems = problems
        builder.fallbackFiles = fallbackFiles
        for file in kept { builder.collect(file) }
        if includeWellKnownTypes {
            for file in BuiltinWellKnownTypes.files where seenFiles[file.name] == nil {
                builder.collectIfUndefined(file)
            }
        }
        builder.build()
        messages = builder.messages
        enums = builder.enums
        methods = builder.methods
        extensions = builder.extensions
        for (extendee, field) in builder.extensions.values where extensionFields[extendee]?[field.number] == nil {
            extensionFields[extendee, default: [:]][field.number] = field
        }
        serviceNames = builder.serviceNames
        self.problems = builder.problems
    }

    /// The same pool built again, sharing no storage with this one: for another thread, so that
    /// each thread's reference counting touches objects of its own (objects shared by threads
    /// make their cores contend for the cache lines of the counts).
    public func independentCopy() -> DescriptorPool {
        // The files read again from their bytes: built from the same files, the schemas' names
        // would share the files' string storage.
        let files = files.map { file in
            (try? Google_Protobuf_FileDescriptorProto(serializedBytes: file.serializedBytes() as [UInt8])) ?? file
        }
        var copy = DescriptorPool(files: files, includeWellKnownTypes: includesWellKnownTypes, fallbackFiles: fallbackFiles)
        copy.problems = problems
        return copy
    }

    /// Reads a protoset: a serialized `FileDescriptorSet`, as `protoc --include_imports -o` writes it.
    public init(fileDescriptorSet bytes: [UInt8]) throws {
        let set: Google_Protobuf_FileDescriptorSet
        do {
            set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        } catch {
            throw InvalidDescriptorSet(description: "not a FileDescriptorSet (\(bytes.count) bytes): \(error)")
        }
        if set.file.isEmpty, !bytes.isEmpty {
            throw InvalidDescriptorSet(description: "not a FileDescriptorSet (\(bytes.count) bytes): no file descriptors in it")
        }
        self.init(files: set.file)
    }

    public func message(named name: String) -> MessageSchema? {
        messages[Self.trimDot(name)]
    }

    public func enumType(named name: String) -> EnumSchema? {
        enums[Self.trimDot(name)]
    }

    /// A method by its gRPC path, `/package.Service/Method` (the leading slash is optional).
    /// Every method of the loaded services, by path.
    public var allMethods: [MethodSchema] { methods.values.sorted { $0.path < $1.path } }

    public func method(path: String) -> MethodSchema? {
        methods[path.hasPrefix("/") ? path : "/" + path]
    }

    /// Extensions of `messageName` (proto2), by field number.
    public func extensions(of messageName: String) -> [FieldSchema] {
        extensions.values.filter { $0.extendee == messageName }.map(\.field).sorted { $0.number < $1.number }
    }

    func extensionField(of messageName: String, number: Int) -> FieldSchema? {
        extensionFields.isEmpty ? nil : extensionFields[messageName]?[number]
    }

    /// All message type names, sorted.
    public var messageNames: [String] { messages.keys.sorted() }

    /// `self`'s files then `other`'s: on conflicts `self` wins.
    public func merging(_ other: DescriptorPool) -> DescriptorPool {
        DescriptorPool(files: files + other.files)
    }

    static func trimDot(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}
