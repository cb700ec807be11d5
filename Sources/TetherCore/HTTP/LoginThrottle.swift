import CIRA

/// Limits failed logins: `loginMaxFailuresPerSource` per source address and `loginMaxFailures`
/// in total within `loginWindow`. Past either, logins are refused until the window slides.
/// Bounded memory (`SlidingWindowCounter`). Thread-safe.
struct LoginThrottle: Sendable {
    private let perSource: SlidingWindowCounter
    private let overall: SlidingWindowCounter
    private static let overallKey = "*"

    init(settings: SecuritySettings) {
        perSource = SlidingWindowCounter(limit: settings.loginMaxFailuresPerSource, window: settings.loginWindow, maxKeys: 50_000)
        overall = SlidingWindowCounter(limit: settings.loginMaxFailures, window: settings.loginWindow, maxKeys: 1)
    }

    /// How long `source` must wait before its next attempt, or nil when it may try now.
    func retryAfter(source: String) -> Duration? {
        perSource.blockedFor(source) ?? overall.blockedFor(Self.overallKey)
    }

    func recordFailure(source: String) {
        perSource.record(source)
        overall.record(Self.overallKey)
    }
}
