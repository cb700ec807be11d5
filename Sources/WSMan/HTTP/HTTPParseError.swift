/// Why HTTP/1.1 framing failed. After an error the parser stays failed (the connection
/// should be closed): every later call rethrows the same error.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header block exceeds ``HTTPParserLimits/maxHeaderBytes``.
    case headersTooLarge(limit: Int)
    /// The body exceeds ``HTTPParserLimits/maxBodyBytes``.
    case bodyTooLarge(limit: Int)
    /// The request or status line is invalid.
    case malformedStartLine(String)
    /// A header line is invalid.
    case malformedHeader(String)
    /// `Content-Length` is not a decimal number, or several disagree.
    case invalidContentLength(String)
    /// A `Transfer-Encoding` other than `chunked`.
    case unsupportedTransferEncoding(String)
    /// A chunk-size line is not valid hex (or is too long).
    case malformedChunkSize(String)
    /// Chunk data is not followed by CRLF.
    case malformedChunk
    /// The peer closed the connection in the middle of a message.
    case truncated

    public var description: String {
        switch self {
        case .headersTooLarge(let limit): return "HTTP header block exceeds \(limit) bytes"
        case .bodyTooLarge(let limit): return "HTTP body exceeds \(limit) bytes"
        case .malformedStartLine(let line): return "malformed HTTP start line: \(line)"
        case .malformedHeader(let line): return "malformed HTTP header line: \(line)"
        case .invalidContentLength(let value): return "invalid HTTP Content-Length: \(value)"
        case .unsupportedTransferEncoding(let value): return "unsupported HTTP Transfer-Encoding: \(value)"
        case .malformedChunkSize(let line): return "malformed HTTP chunk size: \(line)"
        case .malformedChunk: return "HTTP chunk data is not terminated by CRLF"
        case .truncated: return "connection closed in the middle of an HTTP message"
        }
    }
}

/// Bounds applied to incoming HTTP messages.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Maximum size of the start line plus headers (and of chunked trailers), default 16 KiB.
    public var maxHeaderBytes: Int
    /// Maximum (de-chunked) body size, default 8 MiB.
    public var maxBodyBytes: Int
    /// Maximum number of header fields, default 100.
    public var maxHeaderCount: Int

    /// Creates limits.
    public init(maxHeaderBytes: Int = 16 << 10, maxBodyBytes: Int = 8 << 20, maxHeaderCount: Int = 100) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// The default limits.
    public static let `default` = HTTPParserLimits()
}
