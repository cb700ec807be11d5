import CoreMetrics
import Synchronization
import TetherMetrics

/// How a power action ended, as counted by ``AMTMetrics/recordPowerAction(code:result:)``.
public enum PowerActionResult: String, Sendable, CaseIterable {
    /// The device accepted the action (ReturnValue 0).
    case success
    /// The device answered with a fault, a non-zero ReturnValue or an unusable reply.
    case deviceError = "device_error"
    /// The action did not complete before its deadline.
    case timeout
    /// The device has no CIRA tunnel.
    case notConnected = "not_connected"
    /// No channel to the device could be opened, or it closed the channel.
    case unavailable
    /// The AMT password is missing or was refused.
    case unauthorized
    /// The caller went away.
    case cancelled
    /// Anything else (e.g. a plugin failure).
    case error
}

/// Metrics of the WS-Man layer, recorded through swift-metrics: the duration of every WS-Man call
/// (queueing, digest round trips and retries included) as the timer
/// `tether_wsman_call_duration_seconds` (a Prometheus histogram with ``callDurationBuckets``), and
/// power actions as `tether_power_actions_total{code,result}`. Thread-safe; one per host.
public final class AMTMetrics: Sendable {
    /// The swift-metrics label of the WS-Man call timer.
    public static let callDurationLabel = "tether_wsman_call_duration_seconds"
    /// Upper bounds (seconds) of the call-duration histogram buckets (the host configures its
    /// Prometheus factory with them).
    public static let callDurationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// A consistent copy of the in-process counts.
    public struct Snapshot: Sendable, Equatable {
        /// Calls measured.
        public var callCount = 0
        /// (action code, result) → count.
        public var powerActions: [PowerActionKey: Int] = [:]
    }

    /// A power action code and how it ended.
    public struct PowerActionKey: Hashable, Sendable {
        public var code: Int
        public var result: PowerActionResult

        public init(code: Int, result: PowerActionResult) {
            self.code = code
            self.result = result
        }
    }

    private let callTimer: Timer
    /// In-process tally only: the exported call count is the histogram's `_count`.
    private let calls = Atomic<Int>(0)
    private let powerActions: CountedCounters<PowerActionKey>

    /// Metrics made by `factory` (default: the process-wide `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        callTimer = Timer(label: Self.callDurationLabel, dimensions: [], factory: factory)
        powerActions = CountedCounters(factory: factory) { key in
            ("tether_power_actions_total", [("code", String(key.code)), ("result", key.result.rawValue)])
        }
    }

    /// Records one finished WS-Man call (successful or not) that took `seconds`.
    public func recordCall(seconds: Double) {
        callTimer.recordNanoseconds(Int64((max(0, seconds) * 1e9).rounded()))
        calls.add(1, ordering: .relaxed)
    }

    /// Records one power action `code` that ended with `result`.
    public func recordPowerAction(code: Int, result: PowerActionResult) {
        powerActions.increment(PowerActionKey(code: code, result: result))
    }

    /// The in-process counts now.
    public var snapshot: Snapshot {
        Snapshot(callCount: calls.load(ordering: .relaxed), powerActions: powerActions.counts)
    }
}
