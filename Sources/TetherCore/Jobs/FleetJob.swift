import Foundation
import PluginHost
import Synchronization
import TetherJSON

/// One fleet job: what it does to which devices, how many at once, and where each device is.
/// Progress and per-device results are readable while it runs. Thread-safe.
public final class FleetJob: Sendable {
    public enum Status: String, Sendable {
        case running, finished, cancelled
    }

    /// Where one device stands in the job.
    public enum DeviceStatus: String, Sendable {
        case pending, running, succeeded, failed, cancelled
    }

    struct DeviceResult: Sendable {
        var status: DeviceStatus = .pending
        var result: JSONValue?
        var error: CommandError?
    }

    public let id: String
    public let kind: String
    public let tenantId: String
    public let concurrency: Int
    public let createdAt = Date()
    /// The job's own arguments (no secrets: action codes and flags), shown back to callers.
    let parameters: JSONValue
    let target: JobTarget
    /// The devices in the order they are worked on.
    let guids: [String]

    private struct State {
        var status = Status.running
        var results: [DeviceResult]
        var finishedAt: Date?
        var counts: [DeviceStatus: Int]
    }

    private let state: Mutex<State>
    private let runner = Mutex<Task<Void, Never>?>(nil)

    init(id: String, kind: String, tenantId: String, concurrency: Int, parameters: JSONValue, target: JobTarget, guids: [String]) {
        self.id = id
        self.kind = kind
        self.tenantId = tenantId
        self.concurrency = concurrency
        self.parameters = parameters
        self.target = target
        self.guids = guids
        state = Mutex(State(results: Array(repeating: DeviceResult(), count: guids.count), counts: [.pending: guids.count]))
    }

    public var status: Status { state.withLock { $0.status } }
    public var isDone: Bool { status != .running }

    func attach(_ task: Task<Void, Never>) { runner.withLock { $0 = task } }

    /// Cancels the job: pending devices are not started, running ones are cancelled.
    func cancel() { runner.withLock { $0 }?.cancel() }

    func mark(_ index: Int, _ status: DeviceStatus, result: JSONValue? = nil, error: CommandError? = nil) {
        state.withLock { state in
            let previous = state.results[index].status
            state.counts[previous, default: 0] -= 1
            state.counts[status, default: 0] += 1
            state.results[index] = DeviceResult(status: status, result: result, error: error)
        }
    }

    /// Ends the job; devices never started are `cancelled` when the job was cancelled.
    func finish(cancelled: Bool) {
        state.withLock { state in
            if cancelled {
                for index in state.results.indices where state.results[index].status == .pending || state.results[index].status == .running {
                    state.counts[state.results[index].status, default: 0] -= 1
                    state.counts[.cancelled, default: 0] += 1
                    state.results[index].status = .cancelled
                }
            }
            state.status = cancelled ? .cancelled : .finished
            state.finishedAt = Date()
        }
    }

    /// `{total, done, succeeded, failed, cancelled, pending, running}` (`done` = succeeded + failed + cancelled).
    public var progress: JSONValue {
        let counts = state.withLock { $0.counts }
        func count(_ status: DeviceStatus) -> Int { counts[status, default: 0] }
        return [
            "total": .number(guids.count), "done": .number(count(.succeeded) + count(.failed) + count(.cancelled)),
            "succeeded": .number(count(.succeeded)), "failed": .number(count(.failed)),
            "cancelled": .number(count(.cancelled)), "pending": .number(count(.pending)), "running": .number(count(.running)),
        ]
    }

    /// The summary; with `results`, one entry per device (`status` filters them).
    public func json(results: Bool, only: DeviceStatus? = nil) -> JSONValue {
        let (status, finishedAt, entries) = state.withLock { state in
            (state.status, state.finishedAt, results ? state.results : [])
        }
        var object: [String: JSONValue] = [
            "id": .string(id), "kind": .string(kind), "status": .string(status.rawValue), "tenantId": .string(tenantId),
            "concurrency": .number(concurrency), "parameters": parameters, "target": target.json,
            "createdAt": .string(TetherEvent.rfc3339(createdAt)), "progress": progress,
        ]
        if let finishedAt { object["finishedAt"] = .string(TetherEvent.rfc3339(finishedAt)) }
        if results {
            object["results"] = .array(
                zip(guids, entries).compactMap { guid, entry in
                    if let only, entry.status != only { return nil }
                    var item: [String: JSONValue] = ["guid": .string(guid), "status": .string(entry.status.rawValue)]
                    if let result = entry.result { item["result"] = result }
                    if let error = entry.error { item["error"] = ["code": .string(error.code.rawValue), "message": .string(error.message)] }
                    return .object(item)
                })
        }
        return .object(object)
    }
}
