import AMT
import AMTSimulator
import Foundation
import PluginHost
import Testing
@testable import TetherCore
import TetherJSON
import TestSupport

/// WS-Man call durations and power-action counters, and their Prometheus rendering.
@Suite struct AMTMetricsTests {
    @Test func everyWSManCallIsTimed() async throws {
        let bed = try await AMTTestBed.start()
        let uuid = amtTestUUID(21)
        let device = try await bed.connect(uuid, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd-amt"))
        let (prometheus, factory) = TetherHost.makeMetrics()
        let metrics = AMTMetrics(factory: factory)
        let server = bed.server
        let registry = AMTClientRegistry(
            sessions: { server.session(for: $0) }, password: { _ in "P@ssw0rd-amt" }, logger: silentLogger(),
            metrics: metrics)
        let client = registry.client(for: uuid.guidString)
        for _ in 0..<3 { #expect(try await client.powerState() == 2) }  // one optimized Enumerate each
        _ = try await client.generalSettings()  // one Get
        #expect(metrics.snapshot.callCount == 4)
        let exposition = try PrometheusExposition(parsing: prometheus.emitToString())
        let histogram = "tether_wsman_call_duration_seconds"
        #expect(exposition.value(histogram + "_count") == 4)
        #expect(exposition.bucket(histogram, le: 10) == 4)  // all under 10 s
        #expect((exposition.value(histogram + "_sum") ?? 0) > 0)
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

        let exposition = try PrometheusExposition(parsing: bed.host.metricsExposition())
        #expect(exposition.families["tether_wsman_call_duration_seconds"]?.type == "histogram")
        #expect(exposition.families["tether_power_actions_total"]?.type == "counter")
        #expect((exposition.value("tether_power_actions_total", ["code": "14", "result": "success"]) ?? 0) >= 1)
        #expect((exposition.value("tether_power_actions_total", ["code": "14", "result": "not_connected"]) ?? 0) >= 2)
        await device.stop()
    }

    /// The recording API's numbers reach swift-prometheus's exposition exactly: cumulative
    /// buckets with the documented bounds, sum, count, and the power-action series.
    @Test func renderingMatchesTheCounters() throws {
        let (registry, factory) = TetherHost.makeMetrics()
        let metrics = AMTMetrics(factory: factory)
        metrics.recordCall(seconds: 0.00390625)
        metrics.recordCall(seconds: 0.25)
        metrics.recordCall(seconds: 12)
        metrics.recordPowerAction(code: 8, result: .success)
        metrics.recordPowerAction(code: 8, result: .success)
        metrics.recordPowerAction(code: 100, result: .timeout)
        metrics.recordPowerAction(code: 2, result: .deviceError)
        let exposition = try PrometheusExposition(parsing: registry.emitToString())
        let histogram = "tether_wsman_call_duration_seconds"
        #expect(exposition.bucketBounds(histogram) == AMTMetrics.callDurationBuckets)
        #expect(exposition.bucket(histogram, le: 0.005) == 1)
        #expect(exposition.bucket(histogram, le: 0.25) == 2)
        #expect(exposition.bucket(histogram, le: 0.5) == 2)
        #expect(exposition.bucket(histogram, le: 10) == 2)
        #expect(exposition.bucket(histogram, le: .infinity) == 3)
        #expect(abs((exposition.value(histogram + "_sum") ?? 0) - 12.25390625) < 1e-6)
        #expect(exposition.value(histogram + "_count") == 3)
        #expect(exposition.value("tether_power_actions_total", ["code": "2", "result": "device_error"]) == 1)
        #expect(exposition.value("tether_power_actions_total", ["code": "8", "result": "success"]) == 2)
        #expect(exposition.value("tether_power_actions_total", ["code": "100", "result": "timeout"]) == 1)
        #expect(metrics.snapshot.powerActions[AMTMetrics.PowerActionKey(code: 8, result: .success)] == 2)
    }

    @Test func failedActionsMapToResults() {
        #expect(PowerActionCommands.result(of: CommandError(.deviceError, "x")) == .deviceError)
        #expect(PowerActionCommands.result(of: CommandError(.timeout, "x")) == .timeout)
        #expect(PowerActionCommands.result(of: CommandError(.unauthorized, "x")) == .unauthorized)
        #expect(PowerActionCommands.result(of: CommandError(.pluginFailure, "x")) == .error)
    }
}
