import AMT
import Prometheus

extension TetherHost {
    /// A registry and a swift-metrics factory recording into it, with the documented histogram
    /// buckets for the request and WS-Man call timers.
    static func makeMetrics() -> (PrometheusCollectorRegistry, PrometheusMetricsFactory) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            HTTPMetrics.durationLabel: HTTPMetrics.durationBuckets.map(Self.duration),
            AMTMetrics.callDurationLabel: AMTMetrics.callDurationBuckets.map(Self.duration),
        ]
        return (registry, factory)
    }

    private static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    /// The Prometheus text served on `GET /metrics`, rendered by swift-prometheus: connected
    /// devices, CIRA counters, HTTP requests and durations, failed front-end plugin calls, WS-Man
    /// call durations and power actions.
    func metricsExposition() -> String {
        let connected = MetricNameDescriptor(
            namespace: "tether", metricName: "connected_devices", unitName: "", helpText: "Devices with an open CIRA tunnel on this host.")
        metricsRegistry.makeGauge(descriptor: connected).set(Double(ciraServer?.sessions.count ?? 0))
        let listeners = running.withLock { runtime in
            [("http", runtime.http?.http), ("https", runtime.http?.https), ("metrics", runtime.http?.metricsListener)]
        }
        for case let (name, listener?) in listeners {
            scrapedMetrics.gauge(
                "tether_http_open_connections", [("listener", name)], help: "Open connections per HTTP listener.", listener.gate.current)
            scrapedMetrics.counter(
                "tether_http_refused_connections_total", [("listener", name)],
                help: "Connections closed at once by the connection cap.", total: listener.gate.refused)
        }
        exportEventMetrics(into: scrapedMetrics)
        return metricsRegistry.emitToString()
    }
}
