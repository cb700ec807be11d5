import Synchronization

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

/// Counters of the WS-Man layer, exported on `GET /metrics`: the duration of every WS-Man call
/// (queueing, digest round trips and retries included) and power actions by code and result.
/// Thread-safe; one per ``AMTClientRegistry``.
public final class AMTMetrics: Sendable {
    /// Upper bounds (seconds) of the call-duration histogram buckets.
    public static let callDurationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// A consistent copy of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// Calls per bucket of ``AMTMetrics/callDurationBuckets`` (cumulative, Prometheus style).
        public var callBucketCounts = [Int](repeating: 0, count: AMTMetrics.callDurationBuckets.count)
        /// Sum of all call durations, in seconds.
        public var callDurationSum = 0.0
        /// Calls measured (the `+Inf` bucket).
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

    private let state = Mutex(Snapshot())

    public init() {}

    /// Records one finished WS-Man call (successful or not) that took `seconds`.
    public func recordCall(seconds: Double) {
        state.withLock { state in
            for (index, bound) in Self.callDurationBuckets.enumerated() where seconds <= bound {
                state.callBucketCounts[index] += 1
            }
            state.callDurationSum += seconds
            state.callCount += 1
        }
    }

    /// Records one power action `code` that ended with `result`.
    public func recordPowerAction(code: Int, result: PowerActionResult) {
        state.withLock { $0.powerActions[PowerActionKey(code: code, result: result), default: 0] += 1 }
    }

    /// The counters now.
    public var snapshot: Snapshot { state.withLock { $0 } }
}
