import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"timestamp","level","label","message","metadata":{…},"source"}`. Metadata values keep their
/// shape (strings, arrays, objects); keys are sorted so lines are stable. Whole lines are written
/// under a process-wide lock, so lines of concurrent loggers never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    /// A handler for `label` that logs at `level` and above.
    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let line = Self.line(
            timestamp: Date(), level: event.level, label: label, message: event.message.description,
            metadata: merged, source: event.source)
        StandardErrorLines.emit(line)
    }

    /// One log line as JSON text (with the trailing newline).
    static func line(
        timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String
    ) -> Data {
        let object: [String: Any] = [
            "timestamp": timestampFormat.string(from: timestamp), "level": level.rawValue, "label": label,
            "message": message, "metadata": metadata.mapValues(jsonObject), "source": source,
        ]
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"level":"error","message":"unencodable log line"}"#.utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private static func jsonObject(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let items): items.map(jsonObject)
        case .dictionary(let members): members.mapValues(jsonObject)
        }
    }

    nonisolated(unsafe) private static let timestampFormat: ISO8601DateFormatter = {
        // nonisolated(unsafe): ISO8601DateFormatter is thread-safe for formatting once configured.
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format
    }()
}

/// Whole-line writes to standard error, one writer at a time.
enum StandardErrorLines {
    private static let lock = Mutex(())

    static func emit(_ line: Data) {
        lock.withLock { _ in
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 {
                        if written < 0 && errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}
