import Synchronization

/// The plugin requests in flight (their deadlines and owners) and the commands plugins
/// submitted on their behalf, so that a request's deadline flows into its submits and
/// cancelling or timing out a request cancels what it submitted. One per plugin host;
/// thread-safe.
final class RequestScopes: Sendable {
    /// Why a submit was refused.
    enum Refusal: Error {
        /// The parent request finished, timed out or was cancelled (or is not this plugin's).
        case parentGone
        /// The deadline has already passed.
        case expired
    }

    private struct Scope {
        var pluginID: String
        var deadline: ContinuousClock.Instant
        var cancelled = false
        var submissions: Set<UInt64> = []
        /// The HTTP request id in force when the request was sent (``RequestLogContext``).
        var logID: String?
    }

    private struct Submission {
        var parent: UInt64
        var task: Task<Void, Never>?
        var cancelled = false
    }

    private struct State {
        var scopes: [UInt64: Scope] = [:]
        var submissions: [UInt64: Submission] = [:]
        var nextSubmission: UInt64 = 1
    }

    private let state = Mutex(State())

    /// Starts tracking request `id` sent to `pluginID`, due by `deadline`.
    func open(_ id: UInt64, pluginID: String, deadline: ContinuousClock.Instant) {
        let logID = RequestLogContext.requestID
        state.withLock { $0.scopes[id] = Scope(pluginID: pluginID, deadline: deadline, logID: logID) }
    }

    /// The HTTP request id request `id` was sent under (nil: none, or no longer in flight).
    func logID(of id: UInt64) -> String? {
        state.withLock { $0.scopes[id]?.logID }
    }

    /// The request finished: later submits naming it are refused. Its running submits go on
    /// (each has its own deadline) unless the request was cancelled.
    func close(_ id: UInt64) {
        state.withLock { _ = $0.scopes.removeValue(forKey: id) }
    }

    /// Marks request `id` cancelled (timed out, or its caller went away) and cancels its submits.
    func cancel(_ id: UInt64) {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            guard var scope = state.scopes[id] else { return [] }
            scope.cancelled = true
            state.scopes[id] = scope
            return scope.submissions.compactMap { child in
                state.submissions[child]?.cancelled = true
                return state.submissions[child]?.task
            }
        }
        tasks.forEach { $0.cancel() }
    }

    /// The deadline of request `id` while it is in flight for `pluginID`.
    func deadline(of id: UInt64, pluginID: String) -> ContinuousClock.Instant? {
        state.withLock { state in
            guard let scope = state.scopes[id], scope.pluginID == pluginID, !scope.cancelled else { return nil }
            return scope.deadline
        }
    }

    /// Registers a submit from `pluginID` on behalf of `parent` (0: none) with an optional own
    /// deadline; returns its id and the deadline it runs under (the earlier of the two).
    func beginSubmission(
        parent: UInt64, pluginID: String, deadline: ContinuousClock.Instant?
    ) -> Result<(id: UInt64, deadline: ContinuousClock.Instant?), Refusal> {
        state.withLock { state in
            var effective = deadline
            if parent != 0 {
                guard let scope = state.scopes[parent], scope.pluginID == pluginID, !scope.cancelled else {
                    return .failure(.parentGone)
                }
                effective = min(scope.deadline, deadline ?? scope.deadline)
            }
            if let effective, effective <= .now { return .failure(.expired) }
            let id = state.nextSubmission
            state.nextSubmission &+= 1
            state.submissions[id] = Submission(parent: parent)
            if parent != 0 { state.scopes[parent]?.submissions.insert(id) }
            return .success((id, effective))
        }
    }

    /// Attaches the task running submission `id` (cancelled at once if it already was).
    func attach(_ task: Task<Void, Never>, to id: UInt64) {
        let cancelled = state.withLock { state -> Bool in
            guard state.submissions[id] != nil else { return false }
            state.submissions[id]?.task = task
            return state.submissions[id]?.cancelled ?? false
        }
        if cancelled { task.cancel() }
    }

    /// `cancel_submit`: cancels submission `id` if it is still running.
    func cancelSubmission(_ id: UInt64) {
        let task = state.withLock { state -> Task<Void, Never>? in
            guard state.submissions[id] != nil else { return nil }
            state.submissions[id]?.cancelled = true
            return state.submissions[id]?.task
        }
        task?.cancel()
    }

    /// Submission `id` completed (its callback fired).
    func endSubmission(_ id: UInt64) {
        state.withLock { state in
            guard let submission = state.submissions.removeValue(forKey: id) else { return }
            state.scopes[submission.parent]?.submissions.remove(id)
        }
    }

    /// Requests and submissions being tracked (for tests: both drop to zero when idle).
    var counts: (requests: Int, submissions: Int) { state.withLock { ($0.scopes.count, $0.submissions.count) } }
}
