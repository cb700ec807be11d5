import CoreMetrics
import TetherMetrics

/// The name of a CIRA server counter, exported as `tether_cira_<name>_total`. A string literal
/// names one too (`metrics.increment("idle_closes")`), so new counters need no registration.
public struct CIRACounter: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The counter's short name (`connections_accepted`).
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral name: String) { self.name = name }
    public var description: String { name }

    public static let connectionsAccepted: CIRACounter = "connections_accepted"
    public static let handshakesCompleted: CIRACounter = "handshakes_completed"
    public static let handshakesFailed: CIRACounter = "handshakes_failed"
    public static let authFailures: CIRACounter = "auth_failures"
    public static let protocolErrors: CIRACounter = "protocol_errors"
    public static let idleCloses: CIRACounter = "idle_closes"
    public static let channelsOpened: CIRACounter = "channels_opened"
    public static let channelOpenFailures: CIRACounter = "channel_open_failures"
    public static let replacedSessions: CIRACounter = "replaced_sessions"
    public static let takeoversRefused: CIRACounter = "takeovers_refused"
    public static let authThrottled: CIRACounter = "auth_throttled"

    /// The counters every CIRA server exports from the start (at 0).
    public static let documented: [CIRACounter] = [
        .connectionsAccepted, .handshakesCompleted, .handshakesFailed, .authFailures, .protocolErrors, .idleCloses,
        .channelsOpened, .channelOpenFailures, .replacedSessions, .takeoversRefused, .authThrottled,
    ]
}

/// Counters of the CIRA server, recorded through swift-metrics (`tether_cira_<name>_total`, no
/// labels) with the factory the host passes (its Prometheus registry). Thread-safe.
public final class CIRAMetrics: Sendable {
    private let counters: CountedCounters<CIRACounter>

    /// Counters made by `factory` (default: the process-wide `MetricsSystem.factory`).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        counters = CountedCounters(factory: factory, initial: CIRACounter.documented) { counter in
            ("tether_cira_\(counter.name)_total", [])
        }
    }

    func increment(_ counter: CIRACounter, by amount: Int = 1) {
        counters.increment(counter, by: amount)
    }

    /// Current counter values by name: `connections_accepted`, `handshakes_completed`,
    /// `handshakes_failed`, `auth_failures`, `protocol_errors`, `idle_closes`, `channels_opened`,
    /// `channel_open_failures`, `replaced_sessions` (and any counter added since).
    public var snapshot: [String: Int] {
        Dictionary(uniqueKeysWithValues: counters.counts.map { ($0.key.name, $0.value) })
    }
}
