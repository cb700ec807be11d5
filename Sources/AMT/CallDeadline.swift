import CIRA
import Synchronization
import TetherAsync

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

enum CallDeadline {
    /// Runs `work` in its own task and returns its result, or `timeoutError` once `deadline`
    /// passes (then `work` is aborted: its channel closed, its task cancelled). The caller
    /// never waits longer than the deadline, whatever `work` does.
    static func run<Value: Sendable>(
        deadline: Duration, timeoutError: AMTError,
        _ work: @escaping @Sendable (CallAbort) async -> Result<Value, AMTError>
    ) async -> Result<Value, AMTError> {
        let abort = CallAbort()
        let once = FirstResult<Value, AMTError>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, AMTError>, Never>) in
                once.install(continuation)
                let timer = DeadlineTimer.shared.arm(after: deadline) {
                    if once.resume(.failure(timeoutError)) { abort.abort() }
                }
                let task = Task {
                    let result = await work(abort)
                    once.resume(result)
                    timer.disarm()
                }
                abort.setTask(task)
            }
        } onCancel: {
            if once.resume(.failure(.cancelled)) { abort.abort() }
        }
    }
}
