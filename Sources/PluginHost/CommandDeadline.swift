#if canImport(Glibc)
import Glibc
#endif

/// The absolute deadline of the work the current task does on behalf of a request.
///
/// Budgets nest: every layer that waits (a plugin request, a submitted command, a power action,
/// a WS-Man call) takes the earlier of its own default budget and the deadline it inherited, so
/// an inner step never outlives the request that started it. Task-local: it flows into child
/// tasks and `Task {}` started from the current task.
public enum CommandDeadline {
    /// The deadline in force for the current task; nil when the caller set none.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The earlier of `now + budget` and the inherited deadline.
    public static func effective(_ budget: Duration) -> ContinuousClock.Instant {
        let own = ContinuousClock.now.advanced(by: budget)
        guard let current else { return own }
        return min(current, own)
    }

    /// The earlier of `budget` and the time left before the inherited deadline (never negative).
    public static func remaining(capping budget: Duration) -> Duration {
        max(.zero, ContinuousClock.now.duration(to: effective(budget)))
    }

    /// Nanoseconds on CLOCK_MONOTONIC: the clock the ABI measures deadlines on (`now_ns`).
    public static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// `instant` on the ABI's CLOCK_MONOTONIC nanosecond scale (at least 1: 0 means "none").
    public static func monotonicNanoseconds(of instant: ContinuousClock.Instant) -> UInt64 {
        let now = monotonicNanoseconds()
        let offset = ContinuousClock.now.duration(to: instant)
        let nanoseconds = offset.components.seconds * 1_000_000_000 + offset.components.attoseconds / 1_000_000_000
        if nanoseconds >= 0 { return now &+ UInt64(nanoseconds) }
        let behind = UInt64(-nanoseconds)
        return behind >= now ? 1 : now - behind
    }

    /// A CLOCK_MONOTONIC nanosecond deadline as an instant of `ContinuousClock`.
    public static func instant(ofMonotonic nanoseconds: UInt64) -> ContinuousClock.Instant {
        let now = monotonicNanoseconds()
        let delta = nanoseconds >= now ? Duration.nanoseconds(Int64(clamping: nanoseconds - now))
            : .zero - .nanoseconds(Int64(clamping: now - nanoseconds))
        return ContinuousClock.now.advanced(by: delta)
    }
}
