import CoreMetrics
import Synchronization

/// swift-metrics counters keyed by a value (a counter name, a set of label values), created on
/// first use through one `MetricsFactory`, that also keep their counts for in-process readers
/// (the `cira.stats` command, tests): swift-metrics handlers cannot be read back. The exported
/// numbers come from the factory's backend (swift-prometheus on `GET /metrics`); the counts here
/// are a plain tally of the same increments. Thread-safe.
public final class CountedCounters<Key: Hashable & Sendable>: Sendable {
    /// The swift-metrics label and dimensions of the counter for a key.
    public typealias Describe = @Sendable (Key) -> (label: String, dimensions: [(String, String)])

    private let factory: any MetricsFactory
    private let describe: Describe
    private let counters = Mutex<[Key: (counter: Counter, count: Int)]>([:])

    /// Counters made by `factory`, named by `describe`; `initial` keys are created at once (so they
    /// are exported as 0 before anything happens).
    public init(factory: any MetricsFactory, initial: [Key] = [], describe: @escaping Describe) {
        self.factory = factory
        self.describe = describe
        for key in initial { increment(key, by: 0) }
    }

    /// Adds `amount` (≥ 0) to the counter of `key`.
    public func increment(_ key: Key, by amount: Int = 1) {
        counters.withLock { counters in
            if counters[key] == nil {
                let (label, dimensions) = describe(key)
                counters[key] = (Counter(label: label, dimensions: dimensions, factory: factory), 0)
            }
            counters[key]!.count += amount
            if amount > 0 { counters[key]!.counter.increment(by: amount) }
        }
    }

    /// Every key's count so far.
    public var counts: [Key: Int] { counters.withLock { $0.mapValues(\.count) } }
}
