import Logging
import Synchronization

/// Captures the `password` metadata of log records.
final class LogRecorder: Sendable {
    private let records = Mutex<[String]>([])

    var passwords: [String] { records.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "recorder") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            if let password = event.metadata?["password"] { recorder.records.withLock { $0.append("\(password)") } }
        }
    }
}
