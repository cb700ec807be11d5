import Synchronization

/// One subscriber of the ``EventBus``: a bounded FIFO queue drained by its own task, which hands
/// events to `deliver` one at a time, in publish order. When the queue is full, new events are
/// dropped and counted; the publisher never waits. Thread-safe.
public final class EventSubscription: Sendable {
    /// Counters of one subscription (served on `/metrics`).
    public struct Counters: Sendable, Equatable {
        public var delivered = 0
        public var dropped = 0
        public var failed = 0
        public var queued = 0
    }

    /// Who subscribed (a plugin id and subscription name, `mqtt`, …): the metrics label.
    public let name: String
    public let patterns: [EventTypePattern]
    public let capacity: Int

    private struct State {
        var queue: [TetherEvent] = []
        /// Index of the oldest queued event in `queue` (compacted when half the array is consumed).
        var head = 0
        var waiter: CheckedContinuation<TetherEvent?, Never>?
        var closed = false
        var counters = Counters()
    }

    private let state = Mutex(State())
    private let consumer = Mutex<Task<Void, Never>?>(nil)

    /// `deliver` returns false when the subscriber failed to take the event (counted as failed).
    init(name: String, patterns: [EventTypePattern], capacity: Int, deliver: @escaping @Sendable (TetherEvent) async -> Bool) {
        self.name = name
        self.patterns = patterns
        self.capacity = max(1, capacity)
        let task = Task { [self] in
            while let event = await self.next() {
                let ok = await deliver(event)
                self.state.withLock { if ok { $0.counters.delivered += 1 } else { $0.counters.failed += 1 } }
            }
        }
        consumer.withLock { $0 = task }
    }

    public func accepts(_ type: String) -> Bool { patterns.contains { $0.matches(type) } }

    public var counters: Counters {
        state.withLock { state in
            var counters = state.counters
            counters.queued = state.queue.count - state.head
            return counters
        }
    }

    /// Queues `event` (or drops it when the queue is full). O(1), never suspends.
    func offer(_ event: TetherEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<TetherEvent?, Never>? in
            guard !state.closed else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            if state.queue.count - state.head >= capacity {
                state.counters.dropped += 1
            } else {
                state.queue.append(event)
            }
            return nil
        }
        waiter?.resume(returning: event)
    }

    private func next() async -> TetherEvent? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> TetherEvent?? in
                if state.head < state.queue.count {
                    let event = state.queue[state.head]
                    state.head += 1
                    if state.head * 2 >= state.queue.count {
                        state.queue.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(event)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Stops the subscription: queued events are discarded, the event in delivery is cancelled.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<TetherEvent?, Never>? in
            state.closed = true
            state.queue = []
            state.head = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
        consumer.withLock { $0 }?.cancel()
    }
}
