import CTetherABI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host request the current task is handling (set by the kit around `handle`): its id and
/// deadline. Host commands submitted from inside `handle` are linked to it, so they inherit
/// its deadline and are cancelled with it.
public struct PluginRequest: Sendable {
    /// The request id `handle` received (unique per host process).
    public let id: UInt64
    /// The absolute deadline on the host's clock (`now_ns`, CLOCK_MONOTONIC nanoseconds); nil
    /// when the host did not give one (a v1.0 host).
    public let deadlineNanoseconds: UInt64?
    /// Set once the request has been answered: work a plugin started from `handle` that goes on
    /// afterwards (a child task) then submits on the plugin's own account, not for the request.
    let answered = Answered()

    init(id: UInt64, deadlineNanoseconds: UInt64?) {
        self.id = id
        self.deadlineNanoseconds = deadlineNanoseconds
    }

    /// The request id to link a submit to: the current request while it is unanswered, else 0.
    static var linkableID: UInt64 {
        guard let current, !current.answered.value else { return 0 }
        return current.id
    }

    /// A flag set once, from any thread.
    final class Answered: Sendable {
        private let flag = Atomic<Bool>(false)
        var value: Bool { flag.load(ordering: .acquiring) }
        func set() { flag.store(true, ordering: .releasing) }
    }

    /// The request the current task is handling, if any.
    @TaskLocal public static var current: PluginRequest?

    /// The time left before the current request's deadline (nil: none known). Never negative.
    public static var remaining: Duration? {
        guard let deadline = current?.deadlineNanoseconds else { return nil }
        let now = PluginRequest.monotonicNow()
        return deadline > now ? .nanoseconds(Int64(clamping: deadline - now)) : .zero
    }

    static func monotonicNow() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
