import Synchronization

/// Delivers exactly one result to one waiting continuation, whichever side comes first (the
/// work, a deadline timer, a cancellation): later results are ignored. It may also hold the task
/// doing the work, to cancel it when another side wins. Shared by the WS-Man client's call
/// deadlines and the plugin host's command deadlines. Thread-safe.
public final class FirstResult<Value: Sendable, Failure: Error>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<Value, Failure>, Never>?
        var early: Result<Value, Failure>?
        var done = false
        var worker: Task<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Installs the waiter; resumed at once if a result already came.
    public func install(_ continuation: CheckedContinuation<Result<Value, Failure>, Never>) {
        let ready = state.withLock { state -> Result<Value, Failure>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Offers a result; true when it was the first (and is delivered).
    @discardableResult
    public func resume(_ result: Result<Value, Failure>) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<Result<Value, Failure>, Never>?? in
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

    /// Records the task doing the work (cancelled at once when a result already came).
    public func setWorker(_ task: Task<Void, Never>) {
        let decided = state.withLock { state -> Bool in
            state.worker = task
            return state.done
        }
        if decided { task.cancel() }
    }

    /// Cancels the recorded work task, if any.
    public func cancelWorker() {
        state.withLock { $0.worker }?.cancel()
    }
}
