import Synchronization

/// Runs work in its own task and returns its result, a timeout at the deadline, or a
/// cancellation when the caller is cancelled, whichever comes first. When the work loses, its
/// task is cancelled and `abort` runs (to close what it waits on). The caller never waits past
/// the deadline, whatever the work does. One implementation for the plugin host's command
/// deadlines and the WS-Man client's call deadlines; the deadline is armed on ``DeadlineTimer``.
public enum DeadlineRace {
    /// - Parameters:
    ///   - deadline: when the work loses to `timeout()`; nil: only cancellation ends it early.
    ///   - timeout: the failure returned at the deadline.
    ///   - cancelled: the failure returned when the caller is cancelled.
    ///   - abort: runs once when the work lost (after its task was cancelled).
    public static func run<Value: Sendable, Failure: Error>(
        deadline: ContinuousClock.Instant?,
        timeout: @escaping @Sendable () -> Failure,
        cancelled: @escaping @Sendable () -> Failure,
        abort: @escaping @Sendable () -> Void = {},
        _ work: @escaping @Sendable () async -> Result<Value, Failure>
    ) async -> Result<Value, Failure> {
        let once = FirstResult<Value, Failure>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
                once.install(continuation)
                let timer = deadline.map { deadline in
                    DeadlineTimer.shared.arm(at: deadline) {
                        if once.resume(.failure(timeout())) {
                            once.cancelWorker()
                            abort()
                        }
                    }
                }
                let task = Task {
                    let result = await work()
                    once.resume(result)
                    timer?.disarm()
                }
                once.setWorker(task)
            }
        } onCancel: {
            if once.resume(.failure(cancelled())) {
                once.cancelWorker()
                abort()
            }
        }
    }
}

extension DeadlineRace {
    /// ``run(deadline:timeout:cancelled:abort:_:)`` for a caller that wants a callback, not to
    /// wait: starts `work` in a task of its own and calls `finish` exactly once — with the
    /// work's result, with `timeout()` once `deadline` passes (then the task is cancelled), or
    /// with `cancelled()` as soon as the returned task is cancelled — whatever the work does
    /// after that. A timeout or cancellation calls `finish` from a new task, never from the
    /// timer's thread or the canceller's call. One task and no continuation, where `Task { await run(…) }` takes two tasks,
    /// a continuation and a cancellation handler (the plugin host's submissions, one or more per
    /// REST request).
    @discardableResult
    public static func start<Value: Sendable, Failure: Error>(
        deadline: ContinuousClock.Instant?,
        timeout: @escaping @Sendable () -> Failure,
        cancelled: @escaping @Sendable () -> Failure,
        _ work: @escaping @Sendable () async -> Result<Value, Failure>,
        finish: @escaping @Sendable (Result<Value, Failure>) -> Void
    ) -> Task<Void, Never> {
        let race = CallbackRace(finish)
        let task = Task {
            await withTaskCancellationHandler {
                race.offer(await work())
            } onCancel: {
                race.offer(.failure(cancelled()), later: true)
            }
            race.workEnded()
        }
        if let deadline {
            race.arm(DeadlineTimer.shared.arm(at: deadline) {
                if race.offer(.failure(timeout()), later: true) { task.cancel() }
            })
        }
        return task
    }
}

/// The once-only `finish` of ``DeadlineRace/start(deadline:timeout:cancelled:_:finish:)`` and
/// its deadline timer, disarmed once the work has ended. Thread-safe.
private final class CallbackRace<Value: Sendable, Failure: Error>: Sendable {
    private struct State {
        var decided = false
        var workEnded = false
        var timer: DeadlineTimer.Armed?
    }

    private let finish: @Sendable (Result<Value, Failure>) -> Void
    private let state = Mutex(State())

    init(_ finish: @escaping @Sendable (Result<Value, Failure>) -> Void) {
        self.finish = finish
    }

    /// Delivers `result` if it is the first; true when it was. With `later`, `finish` runs in a
    /// task of its own: never on the deadline timer's thread (it would hold up every other
    /// deadline) nor inside whatever cancelled the work (a plugin's `cancel_submit`).
    @discardableResult
    func offer(_ result: Result<Value, Failure>, later: Bool = false) -> Bool {
        let first = state.withLock { state -> Bool in
            guard !state.decided else { return false }
            state.decided = true
            return true
        }
        guard first else { return false }
        if later {
            let finish = self.finish
            Task { finish(result) }
        } else {
            finish(result)
        }
        return true
    }

    /// Keeps the deadline's timer to disarm when the work ends (at once if it already has).
    func arm(_ timer: DeadlineTimer.Armed) {
        let ended = state.withLock { state -> Bool in
            if !state.workEnded { state.timer = timer }
            return state.workEnded
        }
        if ended { timer.disarm() }
    }

    /// The work returned: its deadline need not fire.
    func workEnded() {
        let timer = state.withLock { state -> DeadlineTimer.Armed? in
            state.workEnded = true
            defer { state.timer = nil }
            return state.timer
        }
        timer?.disarm()
    }
}
