import Activation
import Foundation
import Synchronization

/// The host's activations: the step log of each (the most recent ``capacity``, oldest dropped
/// first) and the devices with one in progress (at most one per device). Thread-safe.
public final class ActivationRegistry: Sendable {
    private struct State {
        var records: [String: ActivationRecord] = [:]
        var order: [String] = []
        var inProgress: [String: String] = [:]
    }

    /// Records kept.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Starts a record for `guid`; `nil` when the device already has one running.
    func begin(guid: String, operation: String, profile: String?, tenantId: String) -> String? {
        let id = "act-" + (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return state.withLock { state -> String? in
            guard state.inProgress[guid] == nil else { return nil }
            state.inProgress[guid] = id
            state.records[id] = ActivationRecord(
                id: id, guid: guid, operation: operation, profile: profile, tenantId: tenantId, startedAt: Date(),
                finishedAt: nil, state: .running, steps: [], message: nil)
            state.order.append(id)
            while state.order.count > capacity,
                  let index = state.order.firstIndex(where: { state.records[$0]?.state != .running }) {
                state.records[state.order.remove(at: index)] = nil
            }
            return id
        }
    }

    /// Appends a step result.
    func log(_ id: String, _ result: ActivationStepResult) {
        state.withLock { $0.records[id]?.steps.append(ActivationRecord.Entry(at: Date(), result: result)) }
    }

    /// Ends a record and frees its device.
    func finish(_ id: String, succeeded: Bool, message: String) {
        state.withLock { state in
            guard var record = state.records[id] else { return }
            record.state = succeeded ? .succeeded : .failed
            record.finishedAt = Date()
            record.message = message
            state.records[id] = record
            if state.inProgress[record.guid] == id { state.inProgress[record.guid] = nil }
        }
    }

    /// One record.
    public func record(_ id: String) -> ActivationRecord? {
        state.withLock { $0.records[id] }
    }

    /// Records, newest first, optionally of one device.
    public func records(guid: String? = nil, limit: Int = 100) -> [ActivationRecord] {
        state.withLock { state in
            var out: [ActivationRecord] = []
            for id in state.order.reversed() {
                guard let record = state.records[id] else { continue }
                if let guid, record.guid != guid { continue }
                out.append(record)
                if out.count >= limit { break }
            }
            return out
        }
    }
}
