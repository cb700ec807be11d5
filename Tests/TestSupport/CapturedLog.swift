import Logging
import Synchronization

/// Log lines captured from a host (to prove no secret is ever logged).
public final class CapturedLog: Sendable {
    public let lines = Mutex<[String]>([])
    public var text: String { lines.withLock { $0.joined(separator: "\n") } }

    public init() {}

    /// A logger at `level` that appends here.
    public func logger(label: String, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = level
        return logger
    }
}

/// A swift-log handler that appends every message (with metadata) to a `CapturedLog`.
public struct CapturingLogHandler: LogHandler {
    public let sink: CapturedLog
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(sink: CapturedLog) {
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let merged = metadata.merging(extra ?? [:]) { $1 }
        sink.lines.withLock { $0.append("\(level) \(message) \(merged)") }
    }
}
