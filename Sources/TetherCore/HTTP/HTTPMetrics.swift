import CoreMetrics
import TetherMetrics

/// Metrics of the HTTP listener and its front ends, recorded through swift-metrics with the host's
/// factory: `tether_http_requests_total{frontend,code}`, the timer
/// `tether_http_request_duration_seconds` (a Prometheus histogram with ``durationBuckets``) and
/// `tether_plugin_call_errors_total{plugin,code}`, `tether_http_login_failures_total` and
/// `tether_http_login_throttled_total`. Thread-safe.
public final class HTTPMetrics: Sendable {
    /// The swift-metrics label of the request timer.
    static let durationLabel = "tether_http_request_duration_seconds"
    /// Upper bounds (seconds) of the request-duration histogram buckets.
    static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    struct RequestKey: Hashable, Sendable { var frontend: String; var status: Int }
    struct PluginErrorKey: Hashable, Sendable { var plugin: String; var code: String }

    private let requests: CountedCounters<RequestKey>
    private let pluginErrors: CountedCounters<PluginErrorKey>
    private let duration: Timer
    /// `failures` (wrong user name or password) and `throttled` (refused by the rate limit).
    private let logins: CountedCounters<String>

    /// Metrics made by `factory` (default: the process-wide `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        requests = CountedCounters(factory: factory) { key in
            ("tether_http_requests_total", [("frontend", key.frontend), ("code", String(key.status))])
        }
        pluginErrors = CountedCounters(factory: factory) { key in
            ("tether_plugin_call_errors_total", [("plugin", key.plugin), ("code", key.code)])
        }
        duration = Timer(label: Self.durationLabel, dimensions: [], factory: factory)
        logins = CountedCounters(factory: factory, initial: ["failures", "throttled"]) { key in
            ("tether_http_login_\(key)_total", [])
        }
    }

    func recordRequest(frontend: String, status: Int, seconds: Double) {
        requests.increment(RequestKey(frontend: frontend, status: status))
        duration.recordNanoseconds(Int64((max(0, seconds) * 1e9).rounded()))
    }

    func recordPluginError(plugin: String, code: String) {
        pluginErrors.increment(PluginErrorKey(plugin: plugin, code: code))
    }

    func recordLoginFailure() { logins.increment("failures") }
    func recordLoginThrottled() { logins.increment("throttled") }

    /// Failed logins, and logins refused by the rate limit, so far.
    public var loginCounts: (failures: Int, throttled: Int) {
        let counts = logins.counts
        return (counts["failures"] ?? 0, counts["throttled"] ?? 0)
    }

    /// Total requests answered with `status` (tests and diagnostics).
    public func requests(status: Int) -> Int {
        requests.counts.filter { $0.key.status == status }.values.reduce(0, +)
    }

    /// Total failed plugin calls.
    public var pluginErrorCount: Int { pluginErrors.counts.values.reduce(0, +) }
}
