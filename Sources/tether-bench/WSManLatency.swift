import AMT
import ArgumentParser
import Foundation
import Logging

/// `tether-bench wsman`: latency and throughput of WS-Man operations through the tunnels
/// (`powerState` = Enumerate + Pull, digest-authenticated, over APF channels), with every
/// device busy at once.
struct WSManLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wsman", abstract: "Latency of power-state queries through CIRA tunnels under load.")

    @Option(help: "Number of simulated devices.")
    var devices = 100

    @Option(help: "Power-state queries per device.")
    var queries = 20

    @Option(help: "Queries in flight per device at once (the host allows 3 WS-Man calls per device).")
    var concurrency = 3

    @Option(help: "Write the report (Markdown) here as well as to stdout.")
    var report: String?

    func run() async throws {
        let fleet = try await BenchFleet(devices: devices)
        let connected = try await fleet.connect(perProcess: 8000, ramp: 0)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let server = fleet.server
        let registry = AMTClientRegistry(
            sessions: { server.session(for: $0) }, password: { _ in BenchFleet.amtPassword }, logger: logger)
        let guids = server.sessions.all.map(\.guid)
        // Warm-up: the first call per device pays for the digest challenge and the channel open.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for guid in guids { group.addTask { _ = try await registry.client(for: guid).powerState() } }
            try await group.waitForAll()
        }
        let clock = ContinuousClock()
        let started = clock.now
        let results = await withTaskGroup(of: [Double?].self) { group in
            for guid in guids {
                for lane in 0..<concurrency {
                    group.addTask {
                        var samples: [Double?] = []
                        for _ in stride(from: lane, to: queries, by: concurrency) {
                            let begin = clock.now
                            do {
                                _ = try await registry.client(for: guid).powerState()
                                samples.append(seconds(clock.now - begin))
                            } catch {
                                samples.append(nil)
                            }
                        }
                        return samples
                    }
                }
            }
            return await group.reduce(into: [Double?]()) { $0 += $1 }
        }
        let wall = seconds(clock.now - started)
        await fleet.stop()

        let latencies = results.compactMap { $0 }.sorted()
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            let index = min(latencies.count - 1, Int(Double(latencies.count - 1) * p))
            return String(format: "%.1f ms", latencies[index] * 1000)
        }
        let text = """
            # Tether WS-Man latency benchmark

            - command: `swift run -c release tether-bench wsman --devices \(devices) --queries \(queries) --concurrency \(concurrency)`
            - date: \(ISO8601DateFormatter().string(from: Date()))
            - machine: \(BenchFleet.machine) (the simulated devices run on the same cores)
            - devices connected: \(connected) of \(devices)
            - power-state queries (one optimized Enumerate each, digest auth, over APF channels): \(latencies.count) ok, \(results.count - latencies.count) failed
            - wall time: \(String(format: "%.2f", wall)) s → **\(String(format: "%.0f", Double(latencies.count) / max(wall, 0.001))) queries/s**
            - latency p50 \(percentile(0.5)), p95 \(percentile(0.95)), p99 \(percentile(0.99)), max \(percentile(1))

            """
        print(text)
        if let report { try text.write(toFile: report, atomically: true, encoding: .utf8) }
    }
}
