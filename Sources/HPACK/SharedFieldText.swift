/// The text of a table entry's name and value (RFC 7541 §2.3), made once when the entry enters the
/// table and shared by every field that refers to it. On a long-lived connection nearly every
/// field is a reference to an entry (RFC 7541 §6.1), so its text costs a reference count instead
/// of a new `String` each time.
public final class SharedFieldText: Sendable {
    /// The name as `EscapedText`, or `nil` when the entry's name is unknown.
    public let name: String?
    /// The value as `EscapedText`, or `nil` when the entry's value is unknown.
    public let value: String?

    init(name: [UInt8]?, value: [UInt8]?) {
        self.name = name.map(EscapedText.string)
        self.value = value.map(EscapedText.string)
    }
}

/// Holds the text an entry or field shares, without being part of what the entry or field is: two
/// fields with the same bytes are equal whether or not their text was made yet.
public struct SharedTextSlot: Sendable, Hashable {
    public var text: SharedFieldText?

    public init(_ text: SharedFieldText? = nil) { self.text = text }

    public static func == (_: Self, _: Self) -> Bool { true }
    public func hash(into _: inout Hasher) {}
}
