/// A syntax, link or option error found while compiling `.proto` sources.
///
/// Positions are 1-based; `description` renders them the way compilers
/// conventionally do: `file:line:column: message`.
public struct ProtoDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
