import Synchronization

/// Counters of the CIRA server (exported to Prometheus by the host). Thread-safe.
public final class CIRAMetrics: Sendable {
    private let values = Mutex<[String: Int]>([:])

    public init() {}

    func increment(_ name: String, by amount: Int = 1) {
        values.withLock { $0[name, default: 0] += amount }
    }

    /// Current counter values: `connections_accepted`, `handshakes_completed`,
    /// `handshakes_failed`, `auth_failures`, `protocol_errors`, `idle_closes`, `channels_opened`,
    /// `channel_open_failures`, `replaced_sessions`.
    public var snapshot: [String: Int] { values.withLock { $0 } }
}
