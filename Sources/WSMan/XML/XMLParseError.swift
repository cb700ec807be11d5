/// Why an XML document was rejected by ``XMLTreeParser``.
public enum XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document is larger than ``XMLParserLimits/maxDocumentBytes``.
    case documentTooLarge(limit: Int)
    /// Elements are nested deeper than ``XMLParserLimits/maxDepth``.
    case tooDeep(limit: Int)
    /// More elements than ``XMLParserLimits/maxElements``.
    case tooManyElements(limit: Int)
    /// The input ended before the root element was closed.
    case truncated
    /// The input is not well-formed XML at the given byte offset.
    case malformed(offset: Int, reason: String)
    /// A DOCTYPE was present; DTDs are refused (entity-expansion safety).
    case doctypeNotAllowed
    /// The document is not valid UTF-8.
    case invalidUTF8

    public var description: String {
        switch self {
        case .documentTooLarge(let limit): return "XML document exceeds the \(limit)-byte limit"
        case .tooDeep(let limit): return "XML elements are nested deeper than \(limit) levels"
        case .tooManyElements(let limit): return "XML document has more than \(limit) elements"
        case .truncated: return "XML document is truncated (root element not closed)"
        case .malformed(let offset, let reason): return "malformed XML at byte \(offset): \(reason)"
        case .doctypeNotAllowed: return "XML DOCTYPE declarations are not accepted"
        case .invalidUTF8: return "XML document is not valid UTF-8"
        }
    }
}

/// Bounds applied while parsing untrusted XML.
public struct XMLParserLimits: Sendable, Equatable {
    /// Maximum input size in bytes (default 4 MiB).
    public var maxDocumentBytes: Int
    /// Maximum element nesting depth (default 64).
    public var maxDepth: Int
    /// Maximum number of elements (default 200 000).
    public var maxElements: Int
    /// Maximum attributes on one element (default 64).
    public var maxAttributesPerElement: Int

    /// Creates limits; the defaults suit AMT replies with wide margins.
    public init(
        maxDocumentBytes: Int = 4 << 20, maxDepth: Int = 64,
        maxElements: Int = 200_000, maxAttributesPerElement: Int = 64
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxAttributesPerElement = maxAttributesPerElement
    }

    /// The default limits.
    public static let `default` = XMLParserLimits()
}
