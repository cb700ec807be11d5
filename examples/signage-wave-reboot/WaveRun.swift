import Foundation
import Synchronization
import TetherPluginKit

/// One wave-reboot run: its parameters, where it stands, and which devices came back. The
/// reconnect bookkeeping is fed by `device.connected` events. Thread-safe.
final class WaveRun: Sendable {
    enum Status: String, Sendable {
        case running, finished, stopped, cancelled, failed
    }

    struct Parameters: Sendable {
        var tags: [String]
        var method: String
        var waveSize: Int
        var pause: Duration
        var maxFailures: Int
        var action: JSONValue
        var reconnectTimeout: Duration
    }

    let id: String
    let parameters: Parameters
    let startedAt = Date()

    private struct State {
        var status = Status.running
        var reason: String?
        var total = 0
        var waves = 0
        var currentWave = 0
        var rebooted = 0
        var reconnected = Set<String>()
        /// Devices of the current wave whose reset succeeded, with the time it was sent.
        var awaiting: [String: Date] = [:]
        var failures: [(guid: String, reason: String)] = []
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(id: String, parameters: Parameters) {
        self.id = id
        self.parameters = parameters
    }

    var isCancelled: Bool { status == .cancelled }
    var status: Status { state.withLock { $0.status } }
    var failureCount: Int { state.withLock { $0.failures.count } }

    func attach(_ task: Task<Void, Never>) { self.task.withLock { $0 = task } }

    func cancel() {
        state.withLock { state in
            guard state.status == .running else { return }
            state.status = .cancelled
            state.reason = "cancelled"
        }
        task.withLock { $0 }?.cancel()
    }

    func planned(total: Int, waves: Int) {
        state.withLock {
            $0.total = total
            $0.waves = waves
        }
    }

    func beginWave(_ number: Int) { state.withLock { $0.currentWave = number } }

    /// Starts waiting for `guids` (whose reset was just accepted) to reconnect.
    func expectReconnect(_ guids: [String], since: Date) {
        state.withLock { state in
            state.rebooted += guids.count
            for guid in guids { state.awaiting[guid] = since }
        }
    }

    /// A `device.connected` event: counts when the device was awaited and connected after its reset.
    func connected(_ guid: String, at time: Date) {
        state.withLock { state in
            guard let since = state.awaiting[guid], time >= since else { return }
            state.awaiting.removeValue(forKey: guid)
            state.reconnected.insert(guid)
        }
    }

    var awaitingCount: Int { state.withLock { $0.awaiting.count } }

    /// Ends the wait: devices still awaited are failures.
    func giveUpWaiting(after timeout: Duration) {
        state.withLock { state in
            for guid in state.awaiting.keys.sorted() {
                state.failures.append((guid, "did not reconnect within \(timeout)"))
            }
            state.awaiting = [:]
        }
    }

    func failed(_ guid: String, _ reason: String) {
        state.withLock { $0.failures.append((guid, reason)) }
    }

    /// Ends the run with `status` (a cancelled run stays cancelled).
    func end(_ status: Status, reason: String? = nil) {
        state.withLock { state in
            guard state.status == .running else { return }
            state.status = status
            state.reason = reason
        }
    }

    var json: JSONValue {
        state.withLock { state in
            var object: [String: JSONValue] = [
                "runId": .string(id), "status": .string(state.status.rawValue), "total": .number(state.total),
                "waves": .number(state.waves), "currentWave": .number(state.currentWave), "waveSize": .number(parameters.waveSize),
                "maxFailures": .number(parameters.maxFailures), "rebooted": .number(state.rebooted),
                "reconnected": .number(state.reconnected.count), "awaitingReconnect": .number(state.awaiting.count),
                "failed": .array(state.failures.map { ["guid": .string($0.guid), "reason": .string($0.reason)] }),
            ]
            if let reason = state.reason { object["reason"] = .string(reason) }
            return .object(object)
        }
    }
}
