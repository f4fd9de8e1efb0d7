import ByteStream

/// A gRPC message reported as soon as it is complete, before its call ends (live views of
/// streaming calls).
public struct ArrivedMessage: Sendable {
    public var connection: ConnectionID
    public var streamID: UInt32
    public var path: String?
    public var direction: Direction
    /// 1-based position among the call's messages in that direction.
    public var index: Int
    public var message: GRPCMessage
}
