import AMT
import Foundation

extension TetherHost {
    /// The Prometheus text served on `GET /metrics`: connected devices, CIRA counters, HTTP
    /// requests and durations, failed front-end plugin calls, WS-Man call durations and power
    /// actions.
    func metricsExposition(http: HTTPMetrics) -> String {
        var out = PrometheusText()
        let cira = ciraServer
        out.family("tether_connected_devices", type: "gauge", help: "Devices with an open CIRA tunnel on this host.")
        out.sample("tether_connected_devices", cira?.sessions.count ?? 0)
        let counters = cira?.metrics.snapshot ?? [:]
        let known = [
            "connections_accepted", "handshakes_completed", "handshakes_failed", "auth_failures", "protocol_errors",
            "idle_closes", "channels_opened", "channel_open_failures", "replaced_sessions", "takeovers_refused", "auth_throttled",
        ]
        for name in Set(known).union(counters.keys).sorted() {
            let metric = "tether_cira_\(name)_total"
            out.family(metric, type: "counter", help: "CIRA server counter \(name).")
            out.sample(metric, counters[name] ?? 0)
        }
        let state = http.state.withLock { $0 }
        out.family("tether_http_requests_total", type: "counter", help: "HTTP requests answered, by front end and status code.")
        for (key, count) in state.requests.sorted(by: { ($0.key.frontend, $0.key.status) < ($1.key.frontend, $1.key.status) }) {
            out.sample("tether_http_requests_total", labels: [("frontend", key.frontend), ("code", String(key.status))], count)
        }
        out.family("tether_http_request_duration_seconds", type: "histogram", help: "Time to answer an HTTP request.")
        for (index, bound) in HTTPMetrics.durationBuckets.enumerated() {
            out.sample("tether_http_request_duration_seconds_bucket", labels: [("le", PrometheusText.format(bound))], state.bucketCounts[index])
        }
        out.sample("tether_http_request_duration_seconds_bucket", labels: [("le", "+Inf")], state.durationCount)
        out.sample("tether_http_request_duration_seconds_sum", state.durationSum)
        out.sample("tether_http_request_duration_seconds_count", state.durationCount)
        out.family("tether_plugin_call_errors_total", type: "counter", help: "Failed front-end plugin calls, by plugin and error code.")
        for (key, count) in state.pluginErrors.sorted(by: { ($0.key.plugin, $0.key.code) < ($1.key.plugin, $1.key.code) }) {
            out.sample("tether_plugin_call_errors_total", labels: [("plugin", key.plugin), ("code", key.code)], count)
        }
        out.family("tether_http_login_failures_total", type: "counter", help: "Failed API logins (wrong user name or password).")
        out.sample("tether_http_login_failures_total", state.loginFailures)
        out.family("tether_http_login_throttled_total", type: "counter", help: "API logins refused by the failed-login rate limit.")
        out.sample("tether_http_login_throttled_total", state.loginThrottled)
        let listeners = running.withLock { runtime in
            [("http", runtime.http?.http), ("https", runtime.http?.https), ("metrics", runtime.http?.metricsListener)]
        }
        out.family("tether_http_open_connections", type: "gauge", help: "Open connections per HTTP listener.")
        for case let (name, listener?) in listeners { out.sample("tether_http_open_connections", labels: [("listener", name)], listener.gate.current) }
        out.family("tether_http_refused_connections_total", type: "counter", help: "Connections closed at once by the connection cap.")
        for case let (name, listener?) in listeners {
            out.sample("tether_http_refused_connections_total", labels: [("listener", name)], listener.gate.refused)
        }
        Self.renderAMT(amtMetrics.snapshot, into: &out)
        renderEventMetrics(into: &out)
        return out.text
    }

    /// `tether_wsman_call_duration_seconds` (histogram) and `tether_power_actions_total{code,result}`.
    static func renderAMT(_ amt: AMTMetrics.Snapshot, into out: inout PrometheusText) {
        let histogram = "tether_wsman_call_duration_seconds"
        out.family(histogram, type: "histogram", help: "Time of a WS-Man call to a device, queueing and digest retries included.")
        for (index, bound) in AMTMetrics.callDurationBuckets.enumerated() {
            out.sample(histogram + "_bucket", labels: [("le", PrometheusText.format(bound))], amt.callBucketCounts[index])
        }
        out.sample(histogram + "_bucket", labels: [("le", "+Inf")], amt.callCount)
        out.sample(histogram + "_sum", amt.callDurationSum)
        out.sample(histogram + "_count", amt.callCount)
        out.family("tether_power_actions_total", type: "counter", help: "Power actions dispatched, by action code and result.")
        for (key, count) in amt.powerActions.sorted(by: { ($0.key.code, $0.key.result.rawValue) < ($1.key.code, $1.key.result.rawValue) }) {
            out.sample("tether_power_actions_total", labels: [("code", String(key.code)), ("result", key.result.rawValue)], count)
        }
    }
}
