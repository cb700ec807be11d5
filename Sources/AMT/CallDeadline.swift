import CIRA
import Synchronization

/// Lets a deadline (or a cancelled caller) abort a call in progress: it closes the channel
/// the call is reading from and cancels the call's task. Thread-safe.
final class CallAbort: Sendable {
    private struct State {
        var aborted = false
        var channel: CIRAChannelStream?
        var task: Task<Void, Never>?
    }

    private let state = Mutex(State())

    var isAborted: Bool { state.withLock { $0.aborted } }

    /// Registers the channel in use; false (caller must close it) when already aborted.
    func attach(_ channel: CIRAChannelStream) -> Bool {
        state.withLock { state in
            guard !state.aborted else { return false }
            state.channel = channel
            return true
        }
    }

    /// The channel is no longer in use by this call.
    func detach() {
        state.withLock { $0.channel = nil }
    }

    func setTask(_ task: Task<Void, Never>) {
        let aborted = state.withLock { state -> Bool in
            state.task = task
            return state.aborted
        }
        if aborted { task.cancel() }
    }

    /// Closes the attached channel and cancels the call's task. Idempotent.
    func abort() {
        let (channel, task) = state.withLock { state -> (CIRAChannelStream?, Task<Void, Never>?) in
            state.aborted = true
            defer { state.channel = nil }
            return (state.channel, state.task)
        }
        channel?.close()
        task?.cancel()
    }
}

/// Delivers exactly one result to one waiting continuation, whichever side comes first.
final class ResultOnce<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<Value, AMTError>, Never>?
        var result: Result<Value, AMTError>?
        var done = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Result<Value, AMTError>, Never>) {
        let ready = state.withLock { state -> Result<Value, AMTError>? in
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Returns true when this call delivered the result (the first one wins).
    @discardableResult
    func resume(_ result: Result<Value, AMTError>) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<Result<Value, AMTError>, Never>?? in
            guard !state.done else { return .none }
            state.done = true
            if let continuation = state.continuation {
                state.continuation = nil
                return .some(continuation)
            }
            state.result = result
            return .some(nil)
        }
        guard let continuation else { return false }
        continuation?.resume(returning: result)
        return true
    }
}

enum CallDeadline {
    /// Runs `work` in its own task and returns its result, or `timeoutError` once `deadline`
    /// passes (then `work` is aborted: its channel closed, its task cancelled). The caller
    /// never waits longer than the deadline, whatever `work` does.
    static func run<Value: Sendable>(
        deadline: Duration, timeoutError: AMTError,
        _ work: @escaping @Sendable (CallAbort) async -> Result<Value, AMTError>
    ) async -> Result<Value, AMTError> {
        let abort = CallAbort()
        let once = ResultOnce<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, AMTError>, Never>) in
                once.install(continuation)
                let timer = Task {
                    try? await Task.sleep(for: deadline)
                    guard !Task.isCancelled else { return }
                    if once.resume(.failure(timeoutError)) { abort.abort() }
                }
                let task = Task {
                    let result = await work(abort)
                    once.resume(result)
                    timer.cancel()
                }
                abort.setTask(task)
            }
        } onCancel: {
            if once.resume(.failure(.cancelled)) { abort.abort() }
        }
    }
}
