import Capture
import TLS

/// The secrets of the TLS sessions a capture holds, for writing next to its packets as pcapng
/// Decryption Secrets Blocks (`-w`): one file that grpcdump or Wireshark opens with no key log.
/// Only the sessions whose ClientHello is in the file are written, each once.
struct SessionSecrets {
    private var written: Set<[UInt8]> = []

    /// A Decryption Secrets Block with the secrets of the sessions seen (`randoms`) that the key
    /// log has and that were not written yet; `nil` when there are none.
    mutating func block(randoms: [[UInt8]], keyLog: KeyLog, writer: PcapngWriter) -> [UInt8]? {
        let new = randoms.filter { !written.contains($0) && keyLog.secrets(clientRandom: $0) != nil }
        guard !new.isEmpty else { return nil }
        written.formUnion(new)
        return writer.decryptionSecrets(type: CaptureRecord.tlsKeyLogSecrets, data: Array(keyLog.restricted(to: Set(new)).text.utf8))
    }
}

/// `-r FILE -w OUT.pcapng`: the capture rewritten as pcapng with its sessions' secrets in front
/// of its packets, so that one file can be shared.
enum CaptureBundle {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    static func write(from input: String, to output: String, randoms: [[UInt8]], keyLog: KeyLog) throws(WriteError) {
        guard input != "-" else { throw WriteError(description: "-w with -r needs a file to read again, not standard input") }
        var source: InputFile
        do { source = try InputFile(path: input) } catch { throw WriteError(description: error.description) }
        defer { source.close() }
        let file: PacketFile
        do { file = try PacketFile(path: output) } catch { throw WriteError(description: error.description) }
        defer { file.close() }
        let writer = PcapngWriter()
        var secrets = SessionSecrets()
        if let block = secrets.block(randoms: randoms, keyLog: keyLog, writer: writer) { file.write(block) }
        var reader = CaptureReader()
        func copy(_ record: CaptureRecord) {
            switch record {
            case let .interface(interface):
                file.write(writer.interfaceDescription(linkType: interface.linkType, snapLength: UInt32(clamping: interface.snapLength),
                                                       name: interface.name, resolution: 9))
            case let .packet(packet):
                file.write(writer.enhancedPacket(interface: packet.interface, timestamp: packet.timestamp, data: packet.data,
                                                 originalLength: packet.originalLength, unitsPerSecond: 1_000_000_000))
            case let .secrets(type, data):
                file.write(writer.decryptionSecrets(type: type, data: data))
            case .format, .diagnostic:
                break
            }
        }
        do {
            while let chunk = try source.read() {
                reader.append(chunk)
                while let record = reader.next() { copy(record) }
            }
        } catch { throw WriteError(description: error.description) }
        for record in reader.finish() { copy(record) }
    }
}
