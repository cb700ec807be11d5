import Foundation
import Synchronization
import Testing
import TetherAsync

/// `DeadlineRace.start`, the callback form of the race the plugin host runs every submission
/// under: `finish` fires exactly once — with the work's result, at the deadline, or when the
/// task is cancelled — never on the deadline thread, and a work that ignores cancellation cannot
/// hold it up.
@Suite struct DeadlineRaceStartTests {
    private enum Failure: Error, Equatable { case timeout, cancelled }

    /// What `finish` got, and on which thread.
    private final class Outcome: Sendable {
        private let state = Mutex<(results: [Result<Int, Failure>], threads: [pthread_t])>(([], []))
        func record(_ result: Result<Int, Failure>) {
            let thread = pthread_self()
            state.withLock { $0.results.append(result); $0.threads.append(thread) }
        }
        var results: [Result<Int, Failure>] { state.withLock { $0.results } }
        var threads: [pthread_t] { state.withLock { $0.threads } }

        func wait(within: Duration = .seconds(10)) async -> Bool {
            let deadline = ContinuousClock.now + within
            while ContinuousClock.now < deadline {
                if !results.isEmpty { return true }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return !results.isEmpty
        }
    }

    /// A work that ignores cancellation and finishes only when released: it stays suspended on
    /// a continuation (no polling, which a cancelled task would turn into a busy loop).
    private final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))
        func release() {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
        func pass() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state -> Bool in
                    if !state.open { state.waiter = continuation }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }
    }

    /// The thread `DeadlineTimer.shared` runs its actions on.
    private static func deadlineThread() async -> pthread_t {
        await withCheckedContinuation { continuation in
            DeadlineTimer.shared.arm(at: .now) { continuation.resume(returning: pthread_self()) }
        }
    }

    private func start(deadline: ContinuousClock.Instant?, outcome: Outcome, _ work: @escaping @Sendable () async -> Result<Int, Failure>) -> Task<Void, Never> {
        DeadlineRace.start(deadline: deadline, timeout: { .timeout }, cancelled: { .cancelled }, work) { outcome.record($0) }
    }

    @Test func theWorksResultArrivesOnce() async {
        let outcome = Outcome()
        let task = start(deadline: .now + .seconds(30), outcome: outcome) { .success(42) }
        await task.value
        #expect(await outcome.wait())
        try? await Task.sleep(for: .milliseconds(50))
        #expect(outcome.results == [.success(42)])
    }

    @Test func theDeadlineWinsOverAWorkThatIgnoresIt() async {
        let outcome = Outcome(), gate = Gate()
        let started = ContinuousClock.now
        let task = start(deadline: started + .milliseconds(100), outcome: outcome) {
            await gate.pass()
            return .success(1)
        }
        // The work is still blocked on its gate: only the deadline can have answered (when the
        // suite loads the 2 cores, the answer's task may wait a while for a thread).
        #expect(await outcome.wait(within: .seconds(30)))
        let elapsed = ContinuousClock.now - started
        #expect(outcome.results == [.failure(.timeout)])
        #expect(elapsed >= .milliseconds(100), "\(elapsed)")
        let timerThread = await Self.deadlineThread()
        #expect(outcome.threads.count == 1 && outcome.threads.first != timerThread, "finish ran on the deadline thread")
        #expect(task.isCancelled)
        gate.release()
        await task.value
        #expect(outcome.results == [.failure(.timeout)], "the late result is dropped")
    }

    @Test func cancellingTheTaskEndsTheRaceAtOnce() async {
        let outcome = Outcome(), gate = Gate()
        let task = start(deadline: nil, outcome: outcome) {
            await gate.pass()
            return .success(1)
        }
        task.cancel()
        #expect(await outcome.wait(within: .seconds(30)))
        #expect(outcome.results == [.failure(.cancelled)])
        gate.release()
        await task.value
        #expect(outcome.results == [.failure(.cancelled)])
    }
}
