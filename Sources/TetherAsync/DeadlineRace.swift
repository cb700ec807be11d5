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
