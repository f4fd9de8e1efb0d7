import ByteStream

/// One direction of a TLS connection: its records, handshake messages, read keys and counters.
struct TLSDirection: Sendable {
    var reader = RecordReader()
    var handshake = HandshakeAssembler()
    /// The keys records are opened with now.
    var protection: RecordProtection?
    /// Keys to try when the current ones fail (TLS 1.3: the next phase, e.g. early → handshake →
    /// application, when the message that announces the change was not seen).
    var fallbacks: [RecordProtection] = []
    /// TLS 1.2: keys that take effect at this side's ChangeCipherSpec.
    var afterChangeCipherSpec: RecordProtection?
    /// A ChangeCipherSpec came before the ServerHello (a capture reordered between directions).
    var sawChangeCipherSpec = false
    /// Records are protected from now on (TLS 1.2 after ChangeCipherSpec; TLS 1.3 after the ServerHello).
    var encrypted = false
    /// The TLS 1.3 application traffic secret in use (a KeyUpdate derives the next one).
    var applicationSecret: [UInt8]?
    /// Protected records waiting for keys, with the position of the bytes that completed them.
    var waiting: [(record: TLSRecord, position: StreamPosition)] = []
    var waitingBytes = 0
    /// The next offset of the plaintext stream handed to the layer above.
    var plaintextOffset: Int64 = 0
    /// 1-based count of protected records, for "fails at record N".
    var protectedRecords = 0
    /// After a capture gap: how many sequence numbers the lost records may have taken.
    var sequenceUncertainBy = 0
}
