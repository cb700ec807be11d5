/// Why bytes could not be turned into a `JSONValue`. The description is terse on purpose (it may
/// reach an unauthenticated client): what was wrong and at which byte offset, never the input.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem stopped the parse.
    public enum Reason: String, Sendable, Equatable {
        case unexpectedEnd = "unexpected end of input"
        case unexpectedByte = "unexpected character"
        case invalidNumber = "invalid number"
        case invalidString = "invalid string"
        case invalidEscape = "invalid escape"
        case invalidUTF8 = "invalid UTF-8"
        case tooDeep = "nesting too deep"
        case tooLarge = "document too large"
        case duplicateKey = "duplicate member name"
        case trailingData = "data after the value"
        /// Not produced by the parser; for callers that reject a parsed value's shape.
        case other = "invalid JSON"
    }

    /// The kind of problem.
    public let reason: Reason
    /// Byte offset in the input where the problem was found (nil when not from the parser).
    public let offset: Int?
    public let description: String

    /// A parser error at `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
        self.description = "invalid JSON: \(reason.rawValue) at byte \(offset)"
    }

    /// A free-form error (kept for callers that reject a value's shape after parsing).
    public init(description: String) {
        self.reason = .other
        self.offset = nil
        self.description = description
    }
}
