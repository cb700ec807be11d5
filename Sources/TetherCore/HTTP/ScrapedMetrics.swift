import Prometheus
import Synchronization

/// Values that components count themselves (the event bus, the MQTT publisher, the HTTP
/// connection gates), copied into the host's Prometheus registry when `/metrics` is scraped:
/// gauges are set, counters advance by what their source gained since the last scrape (so the
/// exported counters stay monotonic). Thread-safe.
final class ScrapedMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private struct Key: Hashable {
        var name: String
        var labels: [String]
    }
    private let exported = Mutex<[Key: Int]>([:])

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// Sets the gauge `name{labels}` to `value`.
    func gauge(_ name: String, _ labels: [(String, String)] = [], help: String, _ value: Int) {
        registry.makeGauge(name: name, labels: labels, help: help).set(Double(value))
    }

    /// Brings the counter `name{labels}` up to its source's running `total`.
    func counter(_ name: String, _ labels: [(String, String)] = [], help: String, total: Int) {
        let key = Key(name: name, labels: labels.flatMap { [$0.0, $0.1] })
        let gained = exported.withLock { exported -> Int in
            let gained = max(0, total - (exported[key] ?? 0))
            exported[key] = max(total, exported[key] ?? 0)
            return gained
        }
        let counter = registry.makeCounter(name: name, labels: labels, help: help)
        if gained > 0 { counter.increment(by: Int64(gained)) }
    }
}
