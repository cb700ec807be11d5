import Foundation

/// One thread that fires every deadline of the process: the WS-Man call budgets, the plugin
/// request budgets and the command deadlines.
///
/// Hand-written because the obvious alternative — a `Task` that sleeps until the deadline and is
/// cancelled when the work wins — costs a task, a libdispatch timer registration (a wake-up of
/// dispatch's manager thread) and, on cancellation, another scheduling of the task, for every
/// deadline; a REST power action has five of them, and almost none ever fires. Here arming a
/// deadline is a lock and a heap insert and disarming it a lock and a flag. The thread sleeps
/// until the earliest armed deadline (rounded up to the next `tick`, so that close deadlines
/// fire together) and is only woken early when a new deadline is earlier than the one it waits
/// for — rare, since budgets run from "now". Disarmed entries are dropped when they reach the
/// top of the heap or when the heap is rebuilt. Actions run on the timer thread and must be
/// short (resume a continuation, cancel a task, close a channel).
public final class DeadlineTimer: @unchecked Sendable {
    // @unchecked: every stored var is guarded by `condition` (see below).
    /// The process-wide timer.
    public static let shared = DeadlineTimer()

    /// A deadline that was armed; `disarm()` stops it firing (idempotent, thread-safe).
    public struct Armed: Sendable {
        fileprivate let id: UInt64
        fileprivate let timer: DeadlineTimer

        /// Stops the action from running if it has not started yet.
        public func disarm() { timer.disarm(id) }
    }

    private struct Entry {
        var fireAt: UInt64  // CLOCK_MONOTONIC nanoseconds
        var id: UInt64
    }

    // All state is guarded by `condition`'s lock (one lock, so a wake-up is never lost
    // between the thread deciding how long to sleep and starting to sleep).
    private let condition = NSCondition()
    private var heap: [Entry] = []
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var nextID: UInt64 = 1
    /// What the thread sleeps until (`UInt64.max`: no deadline armed).
    private var sleepingUntil: UInt64 = .max
    private var started = false
    private let tick: UInt64

    /// `tick`: deadlines are fired at most this late, in exchange for fewer wake-ups.
    public init(tick: Duration = .milliseconds(5)) {
        let (seconds, attoseconds) = tick.components
        self.tick = max(1, UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
    }

    /// Runs `action` once `deadline` has passed (at once, on the timer thread, if it already
    /// has), unless the returned handle is disarmed first.
    @discardableResult
    public func arm(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Armed {
        let now = ContinuousClock.now
        let remaining = now < deadline ? now.duration(to: deadline) : .zero
        let (seconds, attoseconds) = remaining.components
        let fireAt = Self.monotonicNow() &+ UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
        condition.lock()
        let id = nextID
        nextID += 1
        actions[id] = action
        Self.push(Entry(fireAt: fireAt, id: id), into: &heap)
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "tether.deadlines"
            thread.start()
        } else if fireAt < sleepingUntil {
            // Only a deadline earlier than the one the thread sleeps until wakes it.
            condition.signal()
        }
        condition.unlock()
        return Armed(id: id, timer: self)
    }

    /// Arms a deadline `after` from now.
    @discardableResult
    public func arm(after: Duration, _ action: @escaping @Sendable () -> Void) -> Armed {
        arm(at: ContinuousClock.now + after, action)
    }

    fileprivate func disarm(_ id: UInt64) {
        condition.lock()
        let action = actions.removeValue(forKey: id)
        // Rebuild when disarmed entries dominate (they would otherwise wait for their time).
        if heap.count > 1024 && heap.count > 4 * actions.count {
            heap.removeAll { actions[$0.id] == nil }
            heap.sort { $0.fireAt < $1.fireAt }  // a sorted array is a valid min-heap
        }
        condition.unlock()
        _ = action  // released outside the lock
    }

    private func run() {
        var due: [@Sendable () -> Void] = []
        condition.lock()
        while true {
            let now = Self.monotonicNow()
            while let top = heap.first {
                guard let action = actions[top.id] else {
                    Self.popTop(&heap)
                    continue
                }
                guard top.fireAt <= now else { break }
                Self.popTop(&heap)
                actions[top.id] = nil
                due.append(action)
            }
            if !due.isEmpty {
                condition.unlock()
                for action in due { action() }
                due.removeAll()
                condition.lock()
                continue
            }
            guard let top = heap.first else {
                sleepingUntil = .max
                condition.wait()
                continue
            }
            // Rounded up to the tick: deadlines close together fire in one wake-up.
            sleepingUntil = (top.fireAt / tick + 1) * tick
            let seconds = Double(sleepingUntil - min(sleepingUntil, now)) / 1e9
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            sleepingUntil = .max
        }
    }

    private static func monotonicNow() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    private static func push(_ entry: Entry, into heap: inout [Entry]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].fireAt < heap[parent].fireAt else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func popTop(_ heap: inout [Entry]) {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].fireAt < heap[smallest].fireAt { smallest = left }
            if right < heap.count && heap[right].fireAt < heap[smallest].fireAt { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
