import CIRA
import Synchronization
import TetherAsync

/// Lets a deadline (or a cancelled caller) abort a call in progress: it closes the channel
/// the call is reading from (the race in ``CallDeadline`` cancels the call's task). Thread-safe.
final class CallAbort: Sendable {
    private struct State {
        var aborted = false
        var channel: CIRAChannelStream?
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

    /// Closes the attached channel; later `attach`es fail. Idempotent.
    func abort() {
        let channel = state.withLock { state -> CIRAChannelStream? in
            state.aborted = true
            defer { state.channel = nil }
            return state.channel
        }
        channel?.close()
    }
}

enum CallDeadline {
    /// Runs `work` in its own task and returns its result, or `timeoutError` once `deadline`
    /// passes (then `work` is aborted: its task cancelled, its channel closed) — a
    /// ``DeadlineRace``. The caller never waits longer than the deadline, whatever `work` does.
    static func run<Value: Sendable>(
        deadline: Duration, timeoutError: AMTError,
        _ work: @escaping @Sendable (CallAbort) async -> Result<Value, AMTError>
    ) async -> Result<Value, AMTError> {
        let abort = CallAbort()
        return await DeadlineRace.run(
            deadline: .now + deadline, timeout: { timeoutError }, cancelled: { .cancelled }, abort: { abort.abort() }
        ) {
            await work(abort)
        }
    }
}
