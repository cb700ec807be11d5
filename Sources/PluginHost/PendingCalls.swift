import Synchronization
import TetherAsync

/// The outcome of one plugin request, as delivered to the waiting caller.
enum PluginReply: Sendable {
    case completed(status: Int32, body: [UInt8])
    case refused(status: Int32)
    case timedOut
}

/// Process-wide table of requests waiting for a plugin's completion callback.
///
/// The callback context handed to plugins is the request id itself (not a pointer to host
/// memory), so a plugin that calls back twice, or after the deadline, cannot make the host touch
/// freed memory: the late callback finds no entry and is logged and dropped.
final class PendingCalls: Sendable {
    static let shared = PendingCalls()

    private struct Entry {
        var continuation: CheckedContinuation<PluginReply, Never>
        var timer: DeadlineTimer.Armed?
    }

    private let state = Mutex<(next: UInt64, entries: [UInt64: Entry])>((1, [:]))

    /// A fresh request id (never 0, never reused within the process).
    func nextID() -> UInt64 {
        state.withLock { state in
            defer { state.next &+= 1 }
            return state.next
        }
    }

    func insert(_ id: UInt64, _ continuation: CheckedContinuation<PluginReply, Never>) {
        state.withLock { $0.entries[id] = Entry(continuation: continuation, timer: nil) }
    }

    /// Attaches the deadline timer; cancelled when the reply arrives first.
    func attachTimer(_ id: UInt64, _ timer: DeadlineTimer.Armed) {
        let stillPending = state.withLock { state -> Bool in
            guard state.entries[id] != nil else { return false }
            state.entries[id]?.timer = timer
            return true
        }
        if !stillPending { timer.disarm() }
    }

    /// Delivers `reply` to the waiter of `id`. False when nobody waits (late or duplicate).
    @discardableResult
    func finish(_ id: UInt64, with reply: PluginReply) -> Bool {
        guard let entry = state.withLock({ $0.entries.removeValue(forKey: id) }) else { return false }
        entry.timer?.disarm()
        entry.continuation.resume(returning: reply)
        return true
    }

    var count: Int { state.withLock { $0.entries.count } }
}
