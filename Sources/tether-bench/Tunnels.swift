import ArgumentParser
import Foundation

/// `tether-bench tunnels`: server memory per idle CIRA tunnel and the connect rate.
struct Tunnels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Memory per idle CIRA tunnel and connect rate.")

    @Option(help: "Number of simulated devices (tunnels).")
    var devices = 2000

    @Option(help: "Devices per amtsim process (each process needs ~1 fd per device; the hard limit is 20,000).")
    var perProcess = 8000

    @Option(help: "Connections per second per amtsim process (0 = as fast as possible).")
    var ramp: Double = 0

    @Option(help: "Seconds to let tunnels settle idle before measuring.")
    var settle: Double = 5

    @Option(help: "Write the report (Markdown) here as well as to stdout.")
    var report: String?

    func run() async throws {
        let fleet = try await BenchFleet(devices: devices)
        try await Task.sleep(for: .seconds(1))
        let baseline = ResidentMemory.bytes()
        note("baseline RSS \(baseline / 1024) KiB; starting \(devices) devices")
        let connected = try await fleet.connect(perProcess: perProcess, ramp: ramp)
        note("\(connected) tunnels up; settling")
        try await Task.sleep(for: .milliseconds(Int64(settle * 1000)))
        let loaded = ResidentMemory.bytes()
        let failedHandshakes = fleet.server.metrics.snapshot["handshakes_failed"] ?? 0
        await fleet.stop()

        let perTunnel = connected > 0 ? Double(loaded - baseline) / Double(connected) : 0
        let elapsed = seconds(fleet.connectTime)
        let text = """
            # Tether CIRA tunnel benchmark

            - command: `swift run -c release tether-bench tunnels --devices \(devices) --per-process \(perProcess) --ramp \(ramp)`
            - date: \(ISO8601DateFormatter().string(from: Date()))
            - machine: \(BenchFleet.machine)
            - tunnels established: \(connected) of \(devices) (TLS 1.2/legacy profile, full APF handshake, 7 forwarded ports)
            - failed handshakes retried by the devices: \(failedHandshakes)
            - time to establish all: \(String(format: "%.1f", elapsed)) s (\(String(format: "%.0f", Double(connected) / max(elapsed, 0.001))) handshakes/s; clients on the same 2 cores)
            - server RSS before: \(baseline / 1024) KiB, with all tunnels idle: \(loaded / 1024) KiB
            - **server memory per idle tunnel: \(String(format: "%.1f", perTunnel / 1024)) KiB**

            """
        print(text)
        if let report { try text.write(toFile: report, atomically: true, encoding: .utf8) }
    }
}
