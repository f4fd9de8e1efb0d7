/// What protected a byte stream, for the layers that show where their bytes came from (a call
/// carried over TLS says so). Filled by the layer that removed the protection; the layers in
/// between do not look at it.
public struct StreamSecurity: Sendable, Hashable {
    /// "TLS 1.3", "TLS 1.2".
    public var protocolName: String
    public var cipher: String?
    public var serverName: String?
    public var alpn: String?
    public var resumed: Bool

    public init(protocolName: String, cipher: String?, serverName: String?, alpn: String?, resumed: Bool) {
        self.protocolName = protocolName
        self.cipher = cipher
        self.serverName = serverName
        self.alpn = alpn
        self.resumed = resumed
    }
}
