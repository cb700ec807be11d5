import Synchronization

/// Rate limits for hostile or broken peers: failed authentications per address and per GUID
/// within a window, and handshakes in progress per address. Thread-safe.
public final class CIRAAdmissionControl: Sendable {
    private let maxFailures: Int
    private let window: Duration
    private let maxPending: Int
    private let clock = ContinuousClock()

    private struct State {
        var failures: [String: [ContinuousClock.Instant]] = [:]
        var pending: [String: Int] = [:]
    }

    private let state = Mutex(State())

    public init(maxFailures: Int, window: Duration, maxPendingPerAddress: Int) {
        self.maxFailures = maxFailures
        self.window = window
        self.maxPending = maxPendingPerAddress
    }

    /// A new connection from `address` starts its handshake; false = refuse it (flood).
    func beginHandshake(from address: String) -> Bool {
        state.withLock { state in
            let current = state.pending[address, default: 0]
            guard current < maxPending else { return false }
            state.pending[address] = current + 1
            return true
        }
    }

    func endHandshake(from address: String) {
        state.withLock { state in
            let current = state.pending[address, default: 0]
            state.pending[address] = current > 1 ? current - 1 : nil
        }
    }

    /// Whether `keys` (address, GUID) are blocked after too many recent failures.
    func isBlocked(_ keys: [String]) -> Bool {
        let now = clock.now
        return state.withLock { state in
            keys.contains { key in
                let recent = (state.failures[key] ?? []).filter { now - $0 < window }
                state.failures[key] = recent.isEmpty ? nil : recent
                return recent.count >= maxFailures
            }
        }
    }

    func recordFailure(_ keys: [String]) {
        let now = clock.now
        state.withLock { state in
            for key in keys {
                var recent = (state.failures[key] ?? []).filter { now - $0 < window }
                recent.append(now)
                state.failures[key] = Array(recent.suffix(maxFailures * 2))
            }
            if state.failures.count > 100_000 { state.failures.removeAll() }  // bound memory under attack
        }
    }
}
