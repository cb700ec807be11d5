/// How the `tether` process writes log lines (config key `logFormat`, `TETHER_LOG_FORMAT`,
/// `--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's stream format: `timestamp level label: [metadata] message`.
    case text
    /// One JSON object per line (`timestamp`, `level`, `label`, `message`, `metadata`, `source`),
    /// for log shippers.
    case json
}
