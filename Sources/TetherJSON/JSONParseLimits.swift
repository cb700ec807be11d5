/// Bounds the parser enforces, so that hostile input costs at most linear work.
public struct JSONParseLimits: Sendable, Equatable {
    /// The deepest nesting of arrays and objects accepted (the top-level container is depth 1).
    public var maximumDepth: Int
    /// The longest input accepted, in bytes.
    public var maximumBytes: Int

    /// - Parameters:
    ///   - maximumDepth: deepest nesting accepted (at least 1).
    ///   - maximumBytes: longest input accepted.
    public init(maximumDepth: Int = JSONParseLimits.defaultMaximumDepth, maximumBytes: Int = Int.max) {
        self.maximumDepth = max(1, maximumDepth)
        self.maximumBytes = max(0, maximumBytes)
    }

    /// The default nesting limit (64 levels: far beyond any document Tether exchanges).
    public static let defaultMaximumDepth = 64

    /// Depth 64, any size (callers that read from the network bound the size before parsing).
    public static let `default` = JSONParseLimits()
}
