import AMTSimulator
import Foundation
import PluginHost
import Testing
import TetherJSON
@testable import TetherCore

/// A host with the vendor example `examples/signage-wave-reboot` loaded from a plugin directory.
let signageHost = Task { () throws -> EventsTestHost in
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signage-plugin-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let built = PluginSearchPath.executableDirectory + "/libSignageWaveReboot.so"
    try FileManager.default.copyItem(atPath: built, toPath: directory.appendingPathComponent("libSignageWaveReboot.so").path)
    return try await EventsTestHost.start(pluginDirectories: [directory.path])
}

extension EventsIntegrationTests {
    @Suite(.serialized) struct SignageWaveRebootTests {
        /// 50 displays in waves of 10; five displays of wave 2 never come back, which passes
        /// maxFailures 3: the run stops after wave 2 and waves 3–5 are never rebooted.
        @Test func wavesStopWhenFailuresPassTheLimit() async throws {
            let bed = try await signageHost.value
            #expect(bed.host.plugins.plugin(id: "com.example.signage-wave-reboot") != nil, "\(bed.host.plugins.records().map(\.json))")
            let fleet = try await bed.fleet(count: 50, seed: 5000, tags: { _ in ["signage"] })
            let guids = fleet.devices.map { $0.configuration.uuid.guidString.lowercased() }
            let index = Dictionary(uniqueKeysWithValues: guids.enumerated().map { ($1, $0) })
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions(guids))
            // The host lists devices by GUID, so waves follow the sorted GUIDs.
            let order = guids.sorted()
            let neverBack = Set(order[10..<15])
            // A display reboots when its reset is accepted: its tunnel drops and it dials back in,
            // except the five broken ones, which go dark.
            bed.host.events.subscribe(name: "displays", patterns: [EventTypePattern("power.action.finished")!]) { event in
                guard event.fields["result"] == "success", let guid = event.guid, let position = index[guid] else { return true }
                if neverBack.contains(guid) {
                    await fleet.devices[position].stop()
                } else {
                    bed.host.ciraServer?.session(for: guid)?.disconnect(reason: "display rebooting")
                }
                return true
            }
            let started = try await bed.host.bus.run(
                "signage.wave-reboot",
                args: ["tags": ["signage"], "waveSize": 10, "pauseSeconds": 0.2, "maxFailures": 3, "reconnectTimeoutSeconds": 30])
            let runId = try #require(started["runId"])
            #expect(started["total"] == 50 && started["waves"] == 5)
            var status: JSONValue = started
            #expect(await eventually(timeout: .seconds(240)) {
                status = (try? await bed.host.bus.run("signage.wave-status", args: ["runId": runId])) ?? status
                return status["status"] != "running"
            }, "\(status)")
            #expect(status["status"] == "stopped", "\(status)")
            #expect(status["currentWave"] == 2 && status["rebooted"] == 20 && status["reconnected"] == 15, "\(status)")
            let failed = Set(status["failed"]?.arrayValue?.compactMap { $0["guid"]?.stringValue } ?? [])
            #expect(failed == neverBack)
            #expect(status["failed"]?.arrayValue?.first?["reason"]?.stringValue?.contains("did not reconnect") == true)
            for (position, guid) in order.enumerated() {
                let boots = fleet.firmwares[index[guid]!].state.bootCount
                if position < 20 { #expect(boots == 1, "wave 1–2 display \(position) booted \(boots)×") } else { #expect(boots == 0, "display \(position) of waves 3–5 was rebooted") }
            }
        }

        /// Cancelling while a wave waits for displays that never come back ends the run at once.
        @Test func cancellingMidWaveStopsTheRun() async throws {
            let bed = try await signageHost.value
            let fleet = try await bed.fleet(count: 10, seed: 5001, tags: { _ in ["lobby"] })
            let guids = fleet.devices.map { $0.configuration.uuid.guidString.lowercased() }
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions(guids))
            let started = try await bed.host.bus.run(
                "signage.wave-reboot", args: ["tags": ["lobby"], "waveSize": 5, "pauseSeconds": 0, "maxFailures": 0, "reconnectTimeoutSeconds": 120])
            let runId = try #require(started["runId"])
            #expect(await eventually(timeout: .seconds(30)) {
                (try? await bed.host.bus.run("signage.wave-status", args: ["runId": runId]))?["awaitingReconnect"] == 5
            })
            let clock = ContinuousClock()
            let began = clock.now
            _ = try await bed.host.bus.run("signage.wave-cancel", args: ["runId": runId])
            var status: JSONValue = [:]
            #expect(await eventually(timeout: .seconds(10)) {
                status = (try? await bed.host.bus.run("signage.wave-status", args: ["runId": runId])) ?? status
                return status["status"] == "cancelled" && status["awaitingReconnect"] == 5
            }, "\(status)")
            #expect(clock.now - began < .seconds(10))
            try await Task.sleep(for: .milliseconds(300))
            let final = try await bed.host.bus.run("signage.wave-status", args: ["runId": runId])
            #expect(final["currentWave"] == 1 && final["rebooted"] == 5, "\(final)")
            #expect(fleet.firmwares.filter { $0.state.bootCount > 0 }.count == 5, "the second wave never started")
        }

        @Test func badArgumentsAndUnknownTagsAreRefused() async throws {
            let bed = try await signageHost.value
            for args: JSONValue in [
                ["tags": [], "waveSize": 10, "pauseSeconds": 0, "maxFailures": 1],
                ["tags": ["x"], "waveSize": 0, "pauseSeconds": 0, "maxFailures": 1],
                ["tags": ["x"], "waveSize": 10, "pauseSeconds": -1, "maxFailures": 1],
                ["tags": ["x"], "waveSize": 10, "pauseSeconds": 0],
                ["tags": ["no-display-has-this"], "waveSize": 10, "pauseSeconds": 0, "maxFailures": 1],
            ] {
                await #expect(throws: CommandError.self, "\(args)") { try await bed.host.bus.run("signage.wave-reboot", args: args) }
            }
            await #expect(throws: CommandError.self) { try await bed.host.bus.run("signage.wave-status", args: ["runId": "nope"]) }
        }
    }
}
