import Foundation
import ReferenceProtos
import SwiftProtobuf

/// What server reflection (grpc.reflection.v1 and v1alpha, gRPC doc "server-reflection.md") answers
/// from: the reference services' FileDescriptorSet, indexed by file name, symbol and extension.
struct ReflectionIndex: Sendable {
    enum Question: Sendable {
        case fileByFilename(String)
        case fileContainingSymbol(String)
        case fileContainingExtension(type: String, number: Int32)
        case allExtensionNumbersOfType(String)
        case listServices
    }

    enum Answer: Sendable {
        /// The file asked for first, then its transitive dependencies.
        case files([Data])
        case extensionNumbers(type: String, numbers: [Int32])
        case services([String])
        case error(code: Int32, message: String)
    }

    private var files: [String: Google_Protobuf_FileDescriptorProto] = [:]
    private var serialized: [String: Data] = [:]
    /// Fully qualified message, enum, service and method names → file.
    private var symbols: [String: String] = [:]
    /// Extended type → field number → file.
    private var extensions: [String: [Int32: String]] = [:]
    let services: [String]

    init(descriptorSet bytes: [UInt8], services: [String]) throws {
        self.services = services
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        for file in set.file {
            files[file.name] = file
            serialized[file.name] = try file.serializedData()
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messageType { index(message, prefix: prefix, file: file.name) }
            for enumType in file.enumType { symbols[prefix + enumType.name] = file.name }
            for service in file.service {
                symbols[prefix + service.name] = file.name
                for method in service.method { symbols[prefix + service.name + "." + method.name] = file.name }
            }
            for field in file.extension { addExtension(field, file: file.name) }
        }
    }

    private mutating func index(_ message: Google_Protobuf_DescriptorProto, prefix: String, file: String) {
        let name = prefix + message.name
        symbols[name] = file
        for nested in message.nestedType { index(nested, prefix: name + ".", file: file) }
        for enumType in message.enumType { symbols[name + "." + enumType.name] = file }
        for field in message.extension { addExtension(field, file: file) }
    }

    private mutating func addExtension(_ field: Google_Protobuf_FieldDescriptorProto, file: String) {
        let extendee = field.extendee.hasPrefix(".") ? String(field.extendee.dropFirst()) : field.extendee
        extensions[extendee, default: [:]][field.number] = file
    }

    func answer(_ question: Question) -> Answer {
        switch question {
        case let .fileByFilename(name):
            return files[name] != nil ? .files(withDependencies(name)) : notFound("file '\(name)'")
        case let .fileContainingSymbol(symbol):
            return symbols[symbol].map { .files(withDependencies($0)) } ?? notFound("symbol '\(symbol)'")
        case let .fileContainingExtension(type, number):
            return extensions[type]?[number].map { .files(withDependencies($0)) } ?? notFound("extension \(number) of '\(type)'")
        case let .allExtensionNumbersOfType(type):
            guard symbols[type] != nil else { return notFound("type '\(type)'") }
            return .extensionNumbers(type: type, numbers: (extensions[type] ?? [:]).keys.sorted())
        case .listServices:
            return .services(services)
        }
    }

    private func notFound(_ what: String) -> Answer {
        .error(code: 5, message: "\(what) not found")  // NOT_FOUND
    }

    /// `name` first, then every file it imports, breadth first, each once.
    private func withDependencies(_ name: String) -> [Data] {
        var order = [name]
        var seen: Set<String> = [name]
        var index = 0
        while index < order.count {
            for dependency in files[order[index]]?.dependency ?? [] where seen.insert(dependency).inserted && files[dependency] != nil {
                order.append(dependency)
            }
            index += 1
        }
        return order.compactMap { serialized[$0] }
    }
}
