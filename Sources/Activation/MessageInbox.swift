import Synchronization

/// The inbound side of one websocket as something a driver can wait on with a deadline: the
/// reader task ``push(_:)``es each text message, the driver takes them with ``next(timeout:)``.
/// Thread-safe; one waiter at a time (the protocol is sequential).
public final class MessageInbox: Sendable {
    /// One inbound event.
    public enum Event: Sendable, Equatable {
        case text(String)
        /// The client sent something that is not a text message within the size limit.
        case invalid(String)
        /// The socket closed.
        case closed
    }

    private struct State {
        var queue: [Event] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Event?, Never>)?
        var nextWaiter = 0
        var closed = false
        /// Waiters up to this id have timed out (a timer may fire before its waiter registers).
        var expiredUpTo = 0
    }

    /// Messages buffered beyond this are a misbehaving client: the inbox closes.
    public static let maxQueued = 16
    private let state = Mutex(State())

    public init() {}

    /// Delivers an event (from the reader task).
    public func push(_ event: Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Event?, Never>? in
            guard !state.closed else { return nil }
            if event == .closed { state.closed = true }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            if state.queue.count >= Self.maxQueued {
                state.queue.append(.invalid("more than \(Self.maxQueued) messages sent without waiting for a reply"))
                state.closed = true
            } else {
                state.queue.append(event)
            }
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next event, or `nil` when `timeout` passes first. After `.closed` every call returns `.closed`.
    public func next(timeout: Duration) async -> Event? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Event?? in
                    if !state.queue.isEmpty { return .some(state.queue.removeFirst()) }
                    if state.closed { return .some(.closed) }
                    if id <= state.expiredUpTo { return .some(nil) }
                    state.waiter = (id, continuation)
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.expire(id)
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Event?, Never>? in
            state.expiredUpTo = max(state.expiredUpTo, id)
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: nil)
    }
}
