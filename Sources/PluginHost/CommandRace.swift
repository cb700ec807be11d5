import TetherAsync

/// A command (or plugin request) against its deadline (``DeadlineRace``): the work runs with
/// ``CommandDeadline/current`` set to `deadline` (nil: no deadline); losing is a `timeout` or
/// `cancelled` ``CommandError`` naming `what`.
enum CommandRace {
    static func run<Value: Sendable>(
        deadline: ContinuousClock.Instant?, what: String,
        _ work: @escaping @Sendable () async -> Result<Value, CommandError>
    ) async -> Result<Value, CommandError> {
        await DeadlineRace.run(
            deadline: deadline,
            timeout: { CommandError(.timeout, "\(what) did not finish before its deadline") },
            cancelled: { CommandError(.cancelled, "\(what) was cancelled") }
        ) {
            await CommandDeadline.$current.withValue(deadline) { await work() }
        }
    }

    /// ``run(deadline:what:_:)`` with a callback: `finish` gets the result exactly once, and
    /// cancelling the returned task ends the race at once (``DeadlineRace/start``).
    @discardableResult
    static func start<Value: Sendable>(
        deadline: ContinuousClock.Instant?, what: String,
        _ work: @escaping @Sendable () async -> Result<Value, CommandError>,
        finish: @escaping @Sendable (Result<Value, CommandError>) -> Void
    ) -> Task<Void, Never> {
        DeadlineRace.start(
            deadline: deadline,
            timeout: { CommandError(.timeout, "\(what) did not finish before its deadline") },
            cancelled: { CommandError(.cancelled, "\(what) was cancelled") },
            { await CommandDeadline.$current.withValue(deadline) { await work() } },
            finish: finish)
    }
}
