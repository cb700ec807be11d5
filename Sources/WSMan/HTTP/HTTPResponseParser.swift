/// Incremental HTTP/1.1 response parser (host side): feed bytes as they arrive from the
/// channel with ``append(_:)``, then call ``nextResponse()`` until it returns `nil`.
/// Supports `Content-Length`, `Transfer-Encoding: chunked` and read-until-close bodies.
/// A value type; not thread-safe, own it from one task/event loop.
public struct HTTPResponseParser: Sendable {
    private var framer: HTTPFramer

    /// Creates a parser with the given limits.
    public init(limits: HTTPParserLimits = .default) {
        framer = HTTPFramer(kind: .response, limits: limits)
    }

    /// Buffers more input.
    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        framer.append(bytes)
    }

    /// The next complete response, or `nil` if more bytes are needed.
    /// - Throws: ``HTTPParseError`` (and keeps throwing it afterwards).
    public mutating func nextResponse() throws -> HTTPResponseMessage? {
        try framer.next().map(Self.makeResponse)
    }

    /// Signals end of input: completes a read-until-close body, returns `nil` when idle,
    /// throws ``HTTPParseError/truncated`` when a message was cut off.
    public mutating func finish() throws -> HTTPResponseMessage? {
        try framer.finish().map(Self.makeResponse)
    }

    /// Whether no partial response is buffered.
    public var isIdle: Bool { framer.isIdle }

    /// Bytes buffered but not yet consumed.
    public var bufferedByteCount: Int { framer.bufferedByteCount }

    private static func makeResponse(_ m: HTTPFramer.Message) -> HTTPResponseMessage {
        HTTPResponseMessage(status: Int(m.startLine[1]) ?? 0, reason: m.startLine[2], version: m.startLine[0],
                            headers: m.headers, body: m.body)
    }
}

/// Incremental HTTP/1.1 request parser (simulator side); same contract as
/// ``HTTPResponseParser``. Requests without framing headers have an empty body.
public struct HTTPRequestParser: Sendable {
    private var framer: HTTPFramer

    /// Creates a parser with the given limits.
    public init(limits: HTTPParserLimits = .default) {
        framer = HTTPFramer(kind: .request, limits: limits)
    }

    /// Buffers more input.
    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        framer.append(bytes)
    }

    /// The next complete request, or `nil` if more bytes are needed.
    public mutating func nextRequest() throws -> HTTPRequestMessage? {
        try framer.next().map(Self.makeRequest)
    }

    /// Signals end of input; throws ``HTTPParseError/truncated`` when a request was cut off.
    public mutating func finish() throws -> HTTPRequestMessage? {
        try framer.finish().map(Self.makeRequest)
    }

    /// Whether no partial request is buffered.
    public var isIdle: Bool { framer.isIdle }

    private static func makeRequest(_ m: HTTPFramer.Message) -> HTTPRequestMessage {
        HTTPRequestMessage(method: m.startLine[0], target: m.startLine[1], version: m.startLine[2],
                           headers: m.headers, body: m.body)
    }
}
