import Synchronization

/// Runs work in its own task and returns its result, a timeout at the deadline, or a
/// cancellation when the caller is cancelled, whichever comes first; the work is cancelled
/// when it loses. The caller never waits past the deadline, whatever the work does. The work
/// runs with ``CommandDeadline/current`` set to `deadline` (nil: no deadline).
enum DeadlineRace {
    static func run<Value: Sendable>(
        deadline: ContinuousClock.Instant?, what: String,
        _ work: @escaping @Sendable () async -> Result<Value, CommandError>
    ) async -> Result<Value, CommandError> {
        let once = Once<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, CommandError>, Never>) in
                once.install(continuation)
                var timer: Task<Void, Never>?
                if let deadline {
                    timer = Task {
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        guard !Task.isCancelled else { return }
                        if once.resume(.failure(CommandError(.timeout, "\(what) did not finish before its deadline"))) {
                            once.cancelWorker()
                        }
                    }
                }
                let stopTimer = timer
                let task = Task {
                    let result = await CommandDeadline.$current.withValue(deadline) { await work() }
                    once.resume(result)
                    stopTimer?.cancel()
                }
                once.setWorker(task)
            }
        } onCancel: {
            if once.resume(.failure(CommandError(.cancelled, "\(what) was cancelled"))) {
                once.cancelWorker()
            }
        }
    }

    /// Delivers the first result to the one waiting continuation.
    private final class Once<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<Value, CommandError>, Never>?
            var early: Result<Value, CommandError>?
            var done = false
            var worker: Task<Void, Never>?
        }

        private let state = Mutex(State())

        /// Records the task doing the work (cancelled at once when the race is already decided).
        func setWorker(_ task: Task<Void, Never>) {
            let decided = state.withLock { state -> Bool in
                state.worker = task
                return state.done
            }
            if decided { task.cancel() }
        }

        func cancelWorker() {
            state.withLock { $0.worker }?.cancel()
        }

        func install(_ continuation: CheckedContinuation<Result<Value, CommandError>, Never>) {
            let ready = state.withLock { state -> Result<Value, CommandError>? in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }

        @discardableResult
        func resume(_ result: Result<Value, CommandError>) -> Bool {
            let waiter = state.withLock { state -> CheckedContinuation<Result<Value, CommandError>, Never>?? in
                guard !state.done else { return .none }
                state.done = true
                guard let continuation = state.continuation else {
                    state.early = result
                    return .some(nil)
                }
                state.continuation = nil
                return .some(continuation)
            }
            guard let waiter else { return false }
            waiter?.resume(returning: result)
            return true
        }
    }
}
