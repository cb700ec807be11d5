import Synchronization

/// Counts requests in progress so a shutdown can wait for them: `begin` before the work,
/// `end` after its reply is written, `drained(until:)` to wait for zero. Thread-safe.
final class InFlightRequests: Sendable {
    private struct State {
        var count = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Requests in progress now.
    var count: Int { state.withLock { $0.count } }

    func begin() { state.withLock { $0.count += 1 } }

    func end() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Waits until no request is in progress or `deadline` passes; true when drained.
    func drained(until deadline: ContinuousClock.Instant) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { [self] in
                await idle()
                return true
            }
            group.addTask {
                guard (try? await Task.sleep(until: deadline)) != nil else { return true }
                return false
            }
            let result = await group.next() ?? true
            group.cancelAll()
            if !result { wakeAll() }
            return result
        }
    }

    private func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                guard state.count > 0 else { return true }
                state.waiters[state.nextWaiter] = continuation
                state.nextWaiter += 1
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Releases waiters at the deadline (the count stays; the caller gives up waiting).
    private func wakeAll() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }
}
