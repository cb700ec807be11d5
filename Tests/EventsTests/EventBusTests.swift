import Foundation
import Synchronization
import Testing
@testable import TetherCore

/// Collects what a subscriber received, and lets a test wait for a count with a deadline.
final class EventSink: Sendable {
    private let received = Mutex<[TetherEvent]>([])

    func take(_ event: TetherEvent) -> Bool {
        received.withLock { $0.append(event) }
        return true
    }

    var events: [TetherEvent] { received.withLock { $0 } }

    /// Waits until `condition` holds for the received events, at most `timeout`.
    func wait(timeout: Duration = .seconds(20), until condition: ([TetherEvent]) -> Bool) async -> [TetherEvent] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = events
            if condition(now) { return now }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return events
    }
}

@Suite struct EventBusTests {
    @Test func patternsMatchPrefixesExactTypesAndEverything() throws {
        let device = try #require(EventTypePattern("device.*"))
        #expect(device.matches("device.connected") && device.matches("device.created"))
        #expect(!device.matches("power.action.finished") && !device.matches("devices.x"))
        #expect(try #require(EventTypePattern("*")).matches("job.finished"))
        #expect(try #require(EventTypePattern("job.finished")).matches("job.finished"))
        #expect(!(try #require(EventTypePattern("job.finished")).matches("job.finished.extra")))
        for bad in ["", "de*ice", "*.connected", "device.*.x", String(repeating: "a", count: 129)] {
            #expect(EventTypePattern(bad) == nil, "\(bad)")
        }
    }

    @Test func eventJSONHasTypeTimeGuidAndTenant() throws {
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        let event = TetherEvent(type: "device.connected", guid: "ABCD", tenantId: "t1", time: time, fields: ["type": "spoofed", "reason": "x"])
        let json = event.json
        #expect(json["type"] == "device.connected")
        #expect(json["time"] == "2027-01-15T08:00:00.250Z")
        #expect(json["guid"] == "abcd")
        #expect(json["tenantId"] == "t1")
        #expect(json["reason"] == "x")
        #expect(TetherEvent(type: "job.finished").json["tenantId"] == "")
        #expect(TetherEvent(type: "job.finished").json["guid"] == nil)
    }

    /// A subscriber that never drains loses events past its queue (counted); the publisher never
    /// waits and another subscriber gets every event in order.
    @Test func stuckSubscriberDropsWithoutSlowingOthers() async throws {
        let bus = EventBus()
        let stuck = bus.subscribe(name: "stuck", patterns: [EventTypePattern("*")!], capacity: 16) { _ in
            // Never returns until cancelled (closing the bus cancels it).
            try? await Task.sleep(for: .seconds(3600))
            return false
        }
        let sink = EventSink()
        let healthy = bus.subscribe(name: "healthy", patterns: [EventTypePattern("device.*")!], capacity: 5000) { sink.take($0) }
        let count = 3000
        let clock = ContinuousClock()
        let began = clock.now
        for index in 0..<count {
            bus.publish(TetherEvent(type: "device.connected", guid: "g\(index % 7)", tenantId: "", fields: ["n": .number(index)]))
        }
        bus.publish(TetherEvent(type: "power.action.finished", tenantId: ""))
        // 3001 publishes are enqueue operations: far below a second even on a loaded machine.
        #expect(clock.now - began < .seconds(2))
        let received = await sink.wait { $0.count >= count }
        #expect(received.count == count)
        #expect(received.map { $0.fields["n"]?.intValue ?? -1 } == Array(0..<count), "order kept")
        // The fan-out of the last event to `stuck` may trail the healthy subscriber's delivery.
        let deadline = ContinuousClock.now + .seconds(10)
        while stuck.counters.dropped + stuck.counters.queued + 1 < count + 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let stuckCounters = stuck.counters
        #expect((15...16).contains(stuckCounters.queued))
        #expect(stuckCounters.delivered == 0)
        #expect(stuckCounters.dropped + stuckCounters.queued + 1 == count + 1, "one in delivery, 16 queued, the rest dropped: \(stuckCounters)")
        #expect(healthy.counters.dropped == 0)
        let snapshot = bus.snapshot
        #expect(snapshot.published == count + 1)
        bus.closeAll()
    }

    @Test func deviceEventsWithoutTenantGetTheDevicesTenant() async throws {
        let bus = EventBus()
        bus.setTenantResolver { guid in guid == "known" ? "tenant-a" : nil }
        let sink = EventSink()
        bus.subscribe(name: "sink", patterns: [EventTypePattern("*")!]) { sink.take($0) }
        bus.publish(TetherEvent(type: "device.connected", guid: "known"))
        bus.publish(TetherEvent(type: "device.connected", guid: "unknown"))
        bus.publish(TetherEvent(type: "device.updated", guid: "known", tenantId: "explicit"))
        let received = await sink.wait { $0.count == 3 }
        #expect(received.map(\.tenantId) == ["tenant-a", "", "explicit"])
        bus.closeAll()
    }
}
