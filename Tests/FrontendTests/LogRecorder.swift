import Foundation
import Logging
import Synchronization
import TetherJSON
@testable import TetherCore

/// Captures log records: the `password` metadata of each, and each as the JSON log format
/// renders it (`JSONLogHandler.line`).
final class LogRecorder: Sendable {
    private let records = Mutex<[String]>([])
    private let lines = Mutex<[JSONValue]>([])

    var passwords: [String] { records.withLock { $0 } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "recorder") { label in Handler(label: label, recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// The first JSON line matching `predicate`, waiting up to 10 s for it (lines are written
    /// as requests finish, just after their responses).
    func waitForLine(_ predicate: @escaping @Sendable (JSONValue) -> Bool) async -> JSONValue? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let line = lines.withLock({ $0.first(where: predicate) }) { return line }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    struct Handler: LogHandler {
        let label: String
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            if let password = event.metadata?["password"] { recorder.records.withLock { $0.append("\(password)") } }
            var merged = metadata
            if let own = event.metadata { merged.merge(own) { _, new in new } }
            let data = JSONLogHandler.line(
                timestamp: Date(), level: event.level, label: label, message: event.message.description, metadata: merged,
                source: event.source)
            if let line = try? JSONValue(parsing: Array(data)) { recorder.lines.withLock { $0.append(line) } }
        }
    }
}
