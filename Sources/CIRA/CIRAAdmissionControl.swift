import Synchronization

/// Rate limits for hostile or broken peers. Thread-safe.
///
/// - Failed authentications are counted per (source address, GUID). Past `maxFailures` within
///   the window, that pair's credentials are checked at most once per `blockedCheckInterval`
///   (other attempts are refused unchecked): guessing slows to a crawl, yet a real device
///   presenting correct credentials — even behind the attacker's NAT — gets through on a retry
///   and clears the count. State is bounded and evicts stale entries first (never wiped whole).
/// - Handshakes in progress are capped per address; at the cap the OLDEST pending handshake
///   from that address is closed to make room, so stalled connections cannot lock out a device
///   behind the same address.
/// - Handshakes in progress are capped in total too; at that cap a NEW connection is refused
///   before any cryptography (the device retries later, with backoff). Under a reconnect storm
///   larger than the host can handshake within `handshakeTimeout`, starting every arrival's
///   handshake would make all of them late: each would spend its RSA operation and then be
///   closed at the deadline, and the retries would repeat it (measured: a 19,500-device ramp at
///   2,100 connections/s stalled at 291 tunnels with the host busy doing handshakes).
public final class CIRAAdmissionControl: Sendable {
    private let failures: SlidingWindowCounter
    private let blockedChecks: SlidingWindowCounter
    private let maxPending: Int
    private let maxPendingTotal: Int

    /// A handshake in progress: `evict` closes it when it must make room.
    private struct Pending {
        let id: UInt64
        let evict: @Sendable () -> Void
    }

    private struct PendingState {
        var byAddress: [String: [Pending]] = [:]
        var nextID: UInt64 = 0
        var total = 0
    }

    private let pending = Mutex(PendingState())

    public init(
        maxFailures: Int, window: Duration, maxPendingPerAddress: Int, maxPendingTotal: Int = .max,
        blockedCheckInterval: Duration = .seconds(1), maxTrackedKeys: Int = 50_000
    ) {
        self.maxPendingTotal = max(1, maxPendingTotal)
        failures = SlidingWindowCounter(limit: maxFailures, window: window, maxKeys: maxTrackedKeys)
        blockedChecks = SlidingWindowCounter(limit: 1, window: blockedCheckInterval, maxKeys: maxTrackedKeys)
        maxPending = max(1, maxPendingPerAddress)
    }

    /// A new connection from `address` starts its handshake; returns its ticket for
    /// `endHandshake`, or nil when it must be refused (the total cap is reached). At the
    /// per-address cap, the oldest pending handshake from that address is evicted instead.
    func beginHandshake(from address: String, evict: @escaping @Sendable () -> Void) -> UInt64? {
        let (ticket, evicted) = pending.withLock { state -> (UInt64?, Pending?) in
            var list = state.byAddress[address, default: []]
            let evicted = list.count >= maxPending ? list.removeFirst() : nil
            if evicted == nil {
                guard state.total < maxPendingTotal else { return (nil, nil) }
                state.total += 1
            }
            state.nextID += 1
            list.append(Pending(id: state.nextID, evict: evict))
            state.byAddress[address] = list
            return (state.nextID, evicted)
        }
        evicted?.evict()
        return ticket
    }

    func endHandshake(from address: String, ticket: UInt64) {
        pending.withLock { state in
            guard var list = state.byAddress[address], let index = list.firstIndex(where: { $0.id == ticket }) else { return }
            list.remove(at: index)
            state.total -= 1
            state.byAddress[address] = list.isEmpty ? nil : list
        }
    }

    /// Handshakes in progress in total.
    var pendingHandshakes: Int { pending.withLock { $0.total } }

    /// Handshakes in progress from `address`.
    func pendingHandshakes(from address: String) -> Int {
        pending.withLock { $0.byAddress[address]?.count ?? 0 }
    }

    private static func key(_ address: String, _ guid: String) -> String { address + "|" + guid.lowercased() }

    /// Whether the credentials of this attempt may be checked now (false = refuse unchecked).
    func mayCheck(address: String, guid: String) -> Bool {
        let key = Self.key(address, guid)
        guard failures.blockedFor(key) != nil else { return true }
        guard blockedChecks.blockedFor(key) == nil else { return false }
        blockedChecks.record(key)
        return true
    }

    func recordFailure(address: String, guid: String) {
        failures.record(Self.key(address, guid))
    }

    /// Correct credentials: the pair's failures are forgotten.
    func recordSuccess(address: String, guid: String) {
        failures.reset(Self.key(address, guid))
    }

    /// Failure-table keys tracked now (bounded).
    var trackedFailureKeys: Int { failures.trackedKeys }
}
