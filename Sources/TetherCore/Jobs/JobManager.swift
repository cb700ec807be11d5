import Foundation
import PluginHost
import Synchronization
import TetherJSON

/// Runs fleet jobs: each device's work at most `concurrency` at a time, progress and results
/// kept per device, cancellable, `job.started` / `job.finished` published on the event bus.
/// Keeps the last ``retainedJobs`` jobs in memory (running jobs are never evicted). Thread-safe.
public final class JobManager: Sendable {
    /// One device's work; a thrown error marks the device failed with that error.
    public typealias Work = @Sendable (_ guid: String) async throws -> JSONValue

    static let retainedJobs = 200
    static let concurrencyRange = 1...256

    private let jobs = Mutex<(byID: [String: FleetJob], order: [String])>(([:], []))

    public init() {}

    public func job(id: String) -> FleetJob? { jobs.withLock { $0.byID[id] } }

    /// Jobs, newest first.
    public func list() -> [FleetJob] {
        jobs.withLock { state in state.order.reversed().compactMap { state.byID[$0] } }
    }

    /// Starts a job over `guids` and returns it at once; its events go to `events`.
    func start(
        kind: String, tenantId: String, concurrency: Int, parameters: JSONValue, target: JobTarget, guids: [String],
        events: EventBus, work: @escaping Work
    ) -> FleetJob {
        let job = FleetJob(
            id: UUID().uuidString.lowercased(), kind: kind, tenantId: tenantId, concurrency: concurrency,
            parameters: parameters, target: target, guids: guids)
        retain(job)
        events.publish(
            TetherEvent(type: "job.started", tenantId: tenantId, fields: ["jobId": .string(job.id), "kind": .string(kind), "total": .number(guids.count)]))
        let task = Task { [events] in
            await Self.run(job, work: work)
            let cancelled = Task.isCancelled
            job.finish(cancelled: cancelled)
            events.publish(
                TetherEvent(
                    type: "job.finished", tenantId: tenantId,
                    fields: ["jobId": .string(job.id), "kind": .string(kind), "status": .string(job.status.rawValue), "progress": job.progress]))
        }
        job.attach(task)
        return job
    }

    private static func run(_ job: FleetJob, work: @escaping Work) async {
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func launch(_ index: Int) {
                let guid = job.guids[index]
                group.addTask {
                    guard !Task.isCancelled else { return }
                    job.mark(index, .running)
                    do {
                        job.mark(index, .succeeded, result: try await work(guid))
                    } catch {
                        if Task.isCancelled {
                            job.mark(index, .cancelled)
                        } else {
                            job.mark(index, .failed, error: Self.commandError(error))
                        }
                    }
                }
            }
            while next < min(job.concurrency, job.guids.count) {
                launch(next)
                next += 1
            }
            while await group.next() != nil {
                if Task.isCancelled { break }
                if next < job.guids.count {
                    launch(next)
                    next += 1
                }
            }
            group.cancelAll()
        }
    }

    static func commandError(_ error: any Error) -> CommandError {
        if let error = error as? CommandError { return error }
        if error is CancellationError { return CommandError(.cancelled, "cancelled") }
        return CommandError(.internal, "\(error)")
    }

    private func retain(_ job: FleetJob) {
        jobs.withLock { state in
            state.byID[job.id] = job
            state.order.append(job.id)
            while state.order.count > Self.retainedJobs,
                let evictable = state.order.firstIndex(where: { state.byID[$0]?.isDone ?? true })
            {
                state.byID.removeValue(forKey: state.order.remove(at: evictable))
            }
        }
    }
}
