import Synchronization

/// Counters of the HTTP listener, exported on `GET /metrics`. Thread-safe.
public final class HTTPMetrics: Sendable {
    /// Upper bounds (seconds) of the request-duration histogram buckets.
    static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    struct State {
        /// (front end, status code) → count.
        var requests: [RequestKey: Int] = [:]
        /// (plugin id, error code) → count.
        var pluginErrors: [PluginErrorKey: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: HTTPMetrics.durationBuckets.count)
        var durationSum = 0.0
        var durationCount = 0
        var loginFailures = 0
        var loginThrottled = 0
    }

    struct RequestKey: Hashable { var frontend: String; var status: Int }
    struct PluginErrorKey: Hashable { var plugin: String; var code: String }

    let state = Mutex(State())

    public init() {}

    func recordRequest(frontend: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RequestKey(frontend: frontend, status: status), default: 0] += 1
            for (index, bound) in Self.durationBuckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
            state.durationSum += seconds
            state.durationCount += 1
        }
    }

    func recordPluginError(plugin: String, code: String) {
        state.withLock { $0.pluginErrors[PluginErrorKey(plugin: plugin, code: code), default: 0] += 1 }
    }

    func recordLoginFailure() { state.withLock { $0.loginFailures += 1 } }
    func recordLoginThrottled() { state.withLock { $0.loginThrottled += 1 } }

    /// Failed logins, and logins refused by the rate limit, so far.
    public var loginCounts: (failures: Int, throttled: Int) { state.withLock { ($0.loginFailures, $0.loginThrottled) } }

    /// Total requests answered with `status` (tests and diagnostics).
    public func requests(status: Int) -> Int {
        state.withLock { $0.requests.filter { $0.key.status == status }.values.reduce(0, +) }
    }

    /// Total failed plugin calls.
    public var pluginErrorCount: Int { state.withLock { $0.pluginErrors.values.reduce(0, +) } }
}
