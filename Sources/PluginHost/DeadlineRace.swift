import TetherAsync

/// Runs work in its own task and returns its result, a timeout at the deadline, or a
/// cancellation when the caller is cancelled, whichever comes first; the work is cancelled
/// when it loses. The caller never waits past the deadline, whatever the work does. The work
/// runs with ``CommandDeadline/current`` set to `deadline` (nil: no deadline).
enum DeadlineRace {
    static func run<Value: Sendable>(
        deadline: ContinuousClock.Instant?, what: String,
        _ work: @escaping @Sendable () async -> Result<Value, CommandError>
    ) async -> Result<Value, CommandError> {
        let once = FirstResult<Value, CommandError>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, CommandError>, Never>) in
                once.install(continuation)
                let timer = deadline.map { deadline in
                    DeadlineTimer.shared.arm(at: deadline) {
                        if once.resume(.failure(CommandError(.timeout, "\(what) did not finish before its deadline"))) {
                            once.cancelWorker()
                        }
                    }
                }
                let task = Task {
                    let result = await CommandDeadline.$current.withValue(deadline) { await work() }
                    once.resume(result)
                    timer?.disarm()
                }
                once.setWorker(task)
            }
        } onCancel: {
            if once.resume(.failure(CommandError(.cancelled, "\(what) was cancelled"))) {
                once.cancelWorker()
            }
        }
    }
}
