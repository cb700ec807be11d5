import AMT
import AMTSimulator
import Foundation
import PluginHost
import Testing
@testable import TetherCore
import TetherJSON

/// WS-Man call durations and power-action counters, and their Prometheus rendering.
@Suite struct AMTMetricsTests {
    @Test func everyWSManCallIsTimed() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(21)
        let device = try await bed.connect(uuid, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt"))
        let metrics = AMTMetrics()
        let server = bed.server
        let registry = AMTClientRegistry(
            sessions: { server.session(for: $0) }, password: { _ in "P@ssw0rd-amt" }, logger: silentLogger(),
            metrics: metrics)
        let client = registry.client(for: uuid.guidString)
        for _ in 0..<3 { #expect(try await client.powerState() == 2) }  // Enumerate + Pull each
        _ = try await client.generalSettings()  // one Get
        let snapshot = metrics.snapshot
        #expect(snapshot.callCount == 7)
        #expect(snapshot.callDurationSum > 0)
        #expect(snapshot.callBucketCounts.last == 7)  // all under 10 s
        #expect(zip(snapshot.callBucketCounts, snapshot.callBucketCounts.dropFirst()).allSatisfy { $0 <= $1 })
        await device.stop()
        await server.stop()
    }

    @Test func powerActionsAreCountedByCodeAndResultAndRendered() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(3003)
        let (device, _) = try await bed.connect(uuid)
        let before = bed.host.amtMetrics.snapshot
        let key = { (code: Int, result: PowerActionResult) in AMTMetrics.PowerActionKey(code: code, result: result) }
        _ = try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": 14])
        for _ in 0..<2 {
            _ = try? await bed.host.bus.run("power.action", args: ["guid": "abcdef00-0000-4000-8000-00000000fffd", "action": 14])
        }
        let after = bed.host.amtMetrics.snapshot
        // Other suites share the host (PowerActionTests runs action 14 too): compare deltas,
        // exactly for the not-connected device only this test uses.
        #expect(after.powerActions[key(14, .success), default: 0] - before.powerActions[key(14, .success), default: 0] >= 1)
        #expect(after.powerActions[key(14, .notConnected), default: 0]
                - before.powerActions[key(14, .notConnected), default: 0] == 2)
        #expect(after.callCount - before.callCount >= 3)  // Get + Put of the boot settings, the power change

        let text = bed.host.metricsExposition(http: HTTPMetrics())
        #expect(text.contains("# TYPE tether_wsman_call_duration_seconds histogram"))
        #expect(text.contains("tether_wsman_call_duration_seconds_bucket{le=\"0.005\"} "))
        #expect(text.contains("tether_wsman_call_duration_seconds_bucket{le=\"+Inf\"} "))
        #expect(text.contains("tether_wsman_call_duration_seconds_sum "))
        #expect(text.contains("tether_wsman_call_duration_seconds_count "))
        #expect(text.contains("# TYPE tether_power_actions_total counter"))
        #expect(text.contains("tether_power_actions_total{code=\"14\",result=\"success\"} "))
        #expect(text.contains("tether_power_actions_total{code=\"14\",result=\"not_connected\"} "))
        await device.stop()
    }

    @Test func renderingMatchesTheCounters() {
        let metrics = AMTMetrics()
        metrics.recordCall(seconds: 0.00390625)
        metrics.recordCall(seconds: 0.25)
        metrics.recordCall(seconds: 12)
        metrics.recordPowerAction(code: 8, result: .success)
        metrics.recordPowerAction(code: 8, result: .success)
        metrics.recordPowerAction(code: 100, result: .timeout)
        metrics.recordPowerAction(code: 2, result: .deviceError)
        let snapshot = metrics.snapshot
        var out = PrometheusText()
        TetherHost.renderAMT(snapshot, into: &out)
        let lines = Set(out.text.split(separator: "\n").map(String.init))
        for expected in [
            "tether_wsman_call_duration_seconds_bucket{le=\"0.005\"} 1",
            "tether_wsman_call_duration_seconds_bucket{le=\"0.25\"} 2",
            "tether_wsman_call_duration_seconds_bucket{le=\"0.5\"} 2",
            "tether_wsman_call_duration_seconds_bucket{le=\"10\"} 2",
            "tether_wsman_call_duration_seconds_bucket{le=\"+Inf\"} 3",
            "tether_wsman_call_duration_seconds_sum 12.25390625",
            "tether_wsman_call_duration_seconds_count 3",
            "tether_power_actions_total{code=\"2\",result=\"device_error\"} 1",
            "tether_power_actions_total{code=\"8\",result=\"success\"} 2",
            "tether_power_actions_total{code=\"100\",result=\"timeout\"} 1",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
    }

    @Test func failedActionsMapToResults() {
        #expect(PowerActionCommands.result(of: CommandError(.deviceError, "x")) == .deviceError)
        #expect(PowerActionCommands.result(of: CommandError(.timeout, "x")) == .timeout)
        #expect(PowerActionCommands.result(of: CommandError(.unauthorized, "x")) == .unauthorized)
        #expect(PowerActionCommands.result(of: CommandError(.pluginFailure, "x")) == .error)
    }
}
