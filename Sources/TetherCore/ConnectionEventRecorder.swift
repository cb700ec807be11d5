import CIRA
import Foundation
import Logging
import Store
import Synchronization

/// Persists CIRA session events in batches: connect and disconnect events are flushed within
/// `interval`, keep-alive "seen" events at most once per device per batch (no write per
/// keep-alive). Thread-safe; never blocks the event loop.
final class ConnectionEventRecorder: CIRASessionObserver {
    private let store: TetherStore
    private let instance: String
    private let logger: Logger
    private let interval: Duration
    /// Where `device.connected` / `device.disconnected` are published (nil: nowhere).
    private let events: EventBus?
    private let pending = Mutex<(events: [DeviceConnectionEvent], seen: Set<String>, scheduled: Bool)>(([], [], false))

    init(store: TetherStore, instance: String, logger: Logger, interval: Duration = .milliseconds(250), events: EventBus? = nil) {
        self.events = events
        self.store = store
        self.instance = instance
        self.logger = logger
        self.interval = interval
    }

    func sessionConnected(_ session: CIRADeviceSession) {
        enqueue(DeviceConnectionEvent(guid: session.guid, kind: .connected(instance: instance), at: Date()))
        events?.publish(TetherEvent(type: "device.connected", guid: session.guid, fields: ["instance": .string(instance)]))
    }

    func sessionDisconnected(_ session: CIRADeviceSession, reason: String) {
        enqueue(DeviceConnectionEvent(guid: session.guid, kind: .disconnected, at: Date()))
        events?.publish(TetherEvent(type: "device.disconnected", guid: session.guid, fields: ["reason": .string(reason)]))
    }

    func sessionSeen(_ session: CIRADeviceSession) {
        let isNew = pending.withLock { $0.seen.insert(session.guid).inserted }
        if isNew { enqueue(DeviceConnectionEvent(guid: session.guid, kind: .seen, at: Date())) }
    }

    private func enqueue(_ event: DeviceConnectionEvent) {
        let schedule = pending.withLock { state -> Bool in
            state.events.append(event)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if schedule {
            Task { [self] in
                try? await Task.sleep(for: interval)
                await flush()
            }
        }
    }

    /// Writes everything pending now (also called at shutdown).
    func flush() async {
        let events = pending.withLock { state -> [DeviceConnectionEvent] in
            defer {
                state.events = []
                state.seen = []
                state.scheduled = false
            }
            return state.events
        }
        guard !events.isEmpty else { return }
        do {
            let result = try await store.devices.applyConnectionEvents(events)
            logger.debug("recorded connection events", metadata: ["applied": "\(result.applied)", "stale": "\(result.stale)"])
        } catch {
            logger.error("could not record connection events", metadata: ["count": "\(events.count)", "error": "\(error)"])
        }
    }
}
