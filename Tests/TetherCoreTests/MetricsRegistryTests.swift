import Foundation
import Logging
import Testing
import TestSupport
@testable import TetherCore

/// Each host records into its own Prometheus registry (no process-wide `MetricsSystem`
/// bootstrap), so hosts side by side in one process keep their numbers apart.
@Suite struct MetricsRegistryTests {
    private func host() -> TetherHost {
        var logger = Logger(label: "metrics-test")
        logger.logLevel = .critical
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-metrics-\(UUID().uuidString)").path
        return TetherHost(configuration: TetherConfiguration(dataDirectory: directory), logger: logger)
    }

    @Test func hostsInOneProcessKeepSeparateMetrics() throws {
        let first = host()
        let second = host()
        first.amtMetrics.recordPowerAction(code: 8, result: .success)
        first.amtMetrics.recordPowerAction(code: 8, result: .success)
        second.amtMetrics.recordPowerAction(code: 2, result: .timeout)
        let a = try PrometheusExposition(parsing: first.metricsExposition())
        let b = try PrometheusExposition(parsing: second.metricsExposition())
        #expect(a.value("tether_power_actions_total", ["code": "8", "result": "success"]) == 2)
        #expect(a.value("tether_power_actions_total", ["code": "2", "result": "timeout"]) == nil)
        #expect(b.value("tether_power_actions_total", ["code": "2", "result": "timeout"]) == 1)
        #expect(b.value("tether_power_actions_total", ["code": "8", "result": "success"]) == nil)
        #expect(a.families["tether_connected_devices"]?.type == "gauge")
        #expect(a.value("tether_connected_devices") == 0)
    }
}
