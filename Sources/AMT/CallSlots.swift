import Synchronization

/// A counting semaphore whose waits end early when the waiting task is cancelled.
/// Thread-safe. Waiters are served first come, first served, except that priority waiters
/// go ahead of all others.
final class CallSlots: Sendable {
    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var waiters: [(id: UInt64, priority: Bool, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Takes a slot; returns false (without a slot) when the task was cancelled while waiting.
    /// - Parameter priority: wait ahead of every non-priority waiter.
    func acquire(priority: Bool = false) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    let waiter = (id: id, priority: priority, continuation: continuation)
                    if priority, let index = state.waiters.firstIndex(where: { !$0.priority }) {
                        state.waiters.insert(waiter, at: index)
                    } else {
                        state.waiters.append(waiter)
                    }
                    return false
                }
                if cancelled { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// Returns a slot (hands it straight to the oldest waiter, if any).
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
