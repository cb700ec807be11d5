import Synchronization

/// Events per key within a sliding time window, with bounded memory: at most `maxKeys` keys are
/// tracked; past that, keys whose events have all expired go first, then the least recently
/// active ones (so an attacker rotating keys evicts only stale or its own entries, and the table
/// is never wiped whole). Used for failed-login and registration limits. Thread-safe.
public final class SlidingWindowCounter: Sendable {
    /// Events allowed per key within `window`.
    public let limit: Int
    public let window: Duration
    public let maxKeys: Int
    private let clock = ContinuousClock()

    private struct Entry {
        var events: [ContinuousClock.Instant]
        var lastActive: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init(limit: Int, window: Duration, maxKeys: Int = 50_000) {
        self.limit = max(1, limit)
        self.window = window
        self.maxKeys = max(1, maxKeys)
    }

    /// Events recorded for `key` within the window.
    public func count(_ key: String) -> Int {
        let now = clock.now
        return entries.withLock { entries in entries[key]?.events.filter { now - $0 < window }.count ?? 0 }
    }

    /// When `key` has reached `limit` events within the window: how long until one expires.
    public func blockedFor(_ key: String) -> Duration? {
        let now = clock.now
        return entries.withLock { entries -> Duration? in
            guard let recent = entries[key]?.events.filter({ now - $0 < window }), recent.count >= limit,
                let oldest = recent.first
            else { return nil }
            return window - (now - oldest)
        }
    }

    /// Records one event for `key`.
    public func record(_ key: String) {
        let now = clock.now
        entries.withLock { entries in
            var entry = entries[key] ?? Entry(events: [], lastActive: now)
            entry.events = entry.events.filter { now - $0 < window }.suffix(limit - 1) + [now]
            entry.lastActive = now
            entries[key] = entry
            if entries.count > maxKeys { evict(&entries, now: now) }
        }
    }

    /// Forgets `key` (e.g. after a success).
    public func reset(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Keys tracked now.
    public var trackedKeys: Int { entries.withLock { $0.count } }

    /// Drops expired keys; if still above 90 % of `maxKeys`, the least recently active ones.
    private func evict(_ entries: inout [String: Entry], now: ContinuousClock.Instant) {
        entries = entries.filter { now - $0.value.lastActive < window }
        let target = maxKeys - maxKeys / 10
        guard entries.count > target else { return }
        let oldest = entries.sorted { $0.value.lastActive < $1.value.lastActive }.prefix(entries.count - target)
        for (key, _) in oldest { entries[key] = nil }
    }
}
