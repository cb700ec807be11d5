import AMTSimulator
import Foundation
import Testing
import TetherJSON
@testable import TetherCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The host publishes device, power and admin events with tenant and order kept.
extension EventsIntegrationTests {
    @Suite(.serialized) struct HostEventsTests {
        @Test func connectPowerAdminAndDisconnectEventsArriveInOrder() async throws {
            let bed = try await EventsTestHost.start()
            defer { Task { await bed.stop() } }
            let sink = EventSink()
            bed.host.events.subscribe(name: "test", patterns: [EventTypePattern("device.*")!, EventTypePattern("power.*")!]) { sink.take($0) }
            let fleet = try await bed.fleet(count: 1, seed: 314, register: false, configure: { $0.reconnect = false })
            let guid = fleet.devices[0].configuration.uuid.guidString.lowercased()
            _ = try await bed.host.bus.run(
                "devices.create",
                args: [
                    "guid": .string(guid), "hostname": "events-1", "tenantId": "tenant-e", "mpsusername": .string(EventsTestHost.mpsUsername),
                    "mpsPassword": .string(EventsTestHost.mpsPassword), "amtPassword": .string(EventsTestHost.amtPassword),
                ])
            await fleet.start()
            #expect(await bed.waitForSessions([guid]))
            let action = try await bed.host.bus.run("power.action", args: ["guid": .string(guid), "action": 8])
            #expect(action["returnValue"]?.intValue == 0, "\(action)")
            await fleet.stop()
            let events = await sink.wait { $0.contains { $0.type == "device.disconnected" } }
            let types = events.map(\.type)
            #expect(types == ["device.created", "device.connected", "power.action.finished", "device.disconnected"], "\(types)")
            #expect(events.allSatisfy { $0.guid == guid && $0.tenantId == "tenant-e" }, "\(events.map(\.json))")
            let created = try #require(events.first)
            #expect(created.json["mpsPassword"] == nil && created.json["amtPassword"] == nil)
            let power = try #require(events.first { $0.type == "power.action.finished" })
            #expect(power.fields["code"] == 8 && power.fields["result"] == "success" && power.fields["returnValue"] == 0)
            let reason = events.last?.fields["reason"]?.stringValue ?? ""
            #expect(!reason.isEmpty)
        }

        @Test func failedPowerActionNamesTheResult() async throws {
            let bed = try await EventsTestHost.start(amtCallTimeout: .seconds(2))
            defer { Task { await bed.stop() } }
            let sink = EventSink()
            bed.host.events.subscribe(name: "test", patterns: [EventTypePattern("power.action.finished")!]) { sink.take($0) }
            let fleet = try await bed.fleet(count: 1, seed: 315, configure: { $0.faults.refuseChannels = 1 })
            let guid = fleet.devices[0].configuration.uuid.guidString.lowercased()
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions([guid]))
            await #expect(throws: (any Error).self) { try await bed.host.bus.run("power.action", args: ["guid": .string(guid), "action": 10]) }
            let events = await sink.wait { !$0.isEmpty }
            let event = try #require(events.first)
            #expect(event.fields["result"] != "success" && event.fields["code"] == 10)
            #expect(event.fields["error"]?.stringValue?.isEmpty == false)
            #expect(event.fields["failingStep"] == "Get AMT_BootSettingData", "reset reads the boot settings first: \(event.json)")
        }

        /// `/metrics` lists the event counters per subscriber.
        @Test func metricsListSubscribers() async throws {
            let bed = try await EventsTestHost.start(http: true)
            defer { Task { await bed.stop() } }
            bed.host.events.subscribe(name: "metrics-probe", patterns: [EventTypePattern("*")!]) { _ in true }
            bed.host.publishEvent("job.finished", tenantId: "")
            let port = try #require(bed.host.httpPort)
            let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("tether_events_published_total 1"))
            #expect(text.contains("tether_events_dropped_total{subscriber=\"metrics-probe\"} 0"))
            #expect(text.contains("tether_events_queued{subscriber=\"metrics-probe\"}"))
        }

        /// Admin changes of CIRA configs and profiles publish `<kind>.created|updated|deleted` with the
        /// key and never a secret; a device registering itself publishes `device.created`.
        @Test func adminChangesAndSelfRegistrationPublishEvents() async throws {
            let bed = try await EventsTestHost.start()
            defer { Task { await bed.stop() } }
            let sink = EventSink()
            bed.host.events.subscribe(name: "admin", patterns: [EventTypePattern("ciraconfig.*")!, EventTypePattern("device.*")!]) { sink.take($0) }
            let password = "Self-Reg-P@ss1"
            let config = try await bed.host.bus.run(
                "ciraconfigs.create",
                args: [
                    "configName": "selfreg", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "selfreguser",
                    "password": .string(password), "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2,
                    "allowSelfRegistration": true, "tenantId": "tenant-s",
                ])
            var update = config.objectValue ?? [:]
            update["proxyDetails"] = "proxy.example:3128"
            update["tenantId"] = "tenant-s"
            _ = try await bed.host.bus.run("ciraconfigs.update", args: .object(update))
            let fleet = try await bed.fleet(count: 1, seed: 4242, register: false, configure: {
                $0.username = "selfreguser"
                $0.password = password
                $0.reconnect = false
            })
            let guid = fleet.devices[0].configuration.uuid.guidString.lowercased()
            await fleet.start()
            #expect(await bed.waitForSessions([guid]))
            await fleet.stop()
            _ = try await bed.host.bus.run("devices.delete", args: ["guid": .string(guid), "tenantId": "tenant-s"])
            _ = try await bed.host.bus.run("ciraconfigs.delete", args: ["configName": "selfreg", "tenantId": "tenant-s"])
            let events = await sink.wait { $0.contains { $0.type == "ciraconfig.deleted" } }
            #expect(
                events.map(\.type) == [
                    "ciraconfig.created", "ciraconfig.updated", "device.created", "device.connected", "device.disconnected",
                    "device.deleted", "ciraconfig.deleted",
                ], "\(events.map(\.type))")
            #expect(events.allSatisfy { $0.tenantId == "tenant-s" }, "\(events.map(\.json))")
            #expect(events.first?.fields["configName"] == "selfreg")
            #expect(events.first { $0.type == "device.created" }?.fields["selfRegistered"] == true)
            #expect(!events.map(\.json.jsonString).joined().contains(password), "no event carries the password")
        }
    }
}
