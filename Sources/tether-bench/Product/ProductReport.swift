import Foundation

/// The results of `tether-bench product`, written as Markdown and JSON.
struct ProductReport: Codable {
    struct RESTStep: Codable {
        var kind: String
        var rate: Double
        var scheduled: Int
        var completed: Int
        var errors: Int
        var statuses: [String: Int]
        var p50Ms: Double
        var p99Ms: Double
        var maxMs: Double
        var cpuMicrosPerRequest: Int
        /// The kernel's part of `cpuMicrosPerRequest` (system time: sockets, epoll, wake-ups).
        var kernelMicrosPerRequest: Int
        /// CPU time of the `amtsim` process playing the devices, per answer (not the host's).
        var deviceMicrosPerRequest: Int
    }

    var command: String
    var date = ISO8601DateFormatter().string(from: Date())
    var build = ProductReport.buildConfiguration
    var baselineRSS = 0
    /// Tunnels already up when `baselineRSS` was read (the REST load's devices).
    var baselineTunnels = 0
    var loadedRSS = 0
    var tunnels = 0
    var connectSeconds = 0.0
    var hostOpenFiles = 0
    var limit = ""
    var idleCPUPercent = 0.0
    var stormReconnected: Int?
    var stormSeconds: Double?
    var handshakes: [HandshakeRatio.Measurement] = []
    var rest: [RESTStep] = []
    /// Requests sent one after another on one connection (`rate` is 0).
    var serial: [RESTStep] = []
    var highestRateWithinTarget: [String: Double] = [:]

    var kibPerTunnel: Double {
        tunnels > baselineTunnels ? Double(loadedRSS - baselineRSS) / Double(tunnels - baselineTunnels) / 1024 : 0
    }

    #if DEBUG
    static let buildConfiguration = "debug (numbers are not comparable: build with -c release)"
    #else
    static let buildConfiguration = "release"
    #endif

    func markdown(machine: String, p99Target: Double) -> String {
        var lines = [
            "# Tether product benchmark (`tether serve`)", "",
            "- command: `\(command)`", "- date: \(date)", "- machine: \(machine); host, `amtsim` and the load generator share it",
            "- host: `tether serve` (\(build)), SQLite in a temporary data directory, bundled plugins, devices self-registered through a CIRA config",
            "",
            "## Capacity", "",
            "| measurement | result |", "|---|---|",
            "| idle tunnels held | \(tunnels) (ramp stopped by: \(limit)) |",
            "| time to establish | \(String(format: "%.1f", connectSeconds)) s |",
            "| host RSS before the ramp (\(baselineTunnels) tunnels) / after | \(baselineRSS / 1024) KiB / \(loadedRSS / 1024) KiB |",
            "| **host RSS per idle tunnel** | **\(String(format: "%.1f", kibPerTunnel)) KiB** |",
            "| host CPU while idle (keep-alives) | \(String(format: "%.1f", idleCPUPercent)) % of one core |",
            "| host open files | \(hostOpenFiles) |",
        ]
        if let back = stormReconnected, let time = stormSeconds {
            lines.append("| reconnect storm: all dropped, back | \(back) of \(tunnels) in \(String(format: "%.1f", time)) s |")
        }
        if !serial.isEmpty {
            lines += ["", "## Latency, one connection (each request sent when the previous answer arrived)", "",
                "| load | answered | errors | p50 ms | p99 ms | max ms | server CPU µs/request (kernel) | amtsim CPU µs/request | server ÷ amtsim |", "|---|---|---|---|---|---|---|---|---|"]
            for step in serial {
                lines.append("| \(step.kind) | \(step.completed)/\(step.scheduled) | \(step.errors) | \(step.p50Ms) | \(step.p99Ms) | \(step.maxMs) | \(step.cpuMicrosPerRequest) (\(step.kernelMicrosPerRequest)) | \(step.deviceMicrosPerRequest) | \(Self.cpuRatio(step)) |")
            }
        }
        lines += ["", "## REST at fixed rates (open loop; latency from the scheduled send time)", "",
            "| load | rate/s | answered | errors | p50 ms | p99 ms | max ms | server CPU µs/request (kernel) | amtsim CPU µs/request | server ÷ amtsim |", "|---|---|---|---|---|---|---|---|---|---|"]
        for step in rest {
            lines.append("| \(step.kind) | \(Int(step.rate)) | \(step.completed)/\(step.scheduled) | \(step.errors) | \(step.p50Ms) | \(step.p99Ms) | \(step.maxMs) | \(step.cpuMicrosPerRequest) (\(step.kernelMicrosPerRequest)) | \(step.deviceMicrosPerRequest) | \(Self.cpuRatio(step)) |")
        }
        for server in HTTPReferenceServer.Server.allCases {
            let ratios = rest.filter { $0.kind == server.reportKind }.compactMap { reference -> String? in
                guard let version = rest.first(where: { $0.kind == RESTLoadKind.version.rawValue && $0.rate == reference.rate }),
                      reference.cpuMicrosPerRequest > 0 else { return nil }
                return "\(String(format: "%.1f", Double(version.cpuMicrosPerRequest) / Double(reference.cpuMicrosPerRequest)))× at \(Int(reference.rate))/s"
            }
            guard !ratios.isEmpty else { continue }
            lines += ["", "Host CPU per version read ÷ that of the \(server.reportKind) (`tether-bench http-reference --server \(server.rawValue)`, "
                + "same load; its row's server is that process, not the host): **\(ratios.joined(separator: ", "))**."]
        }
        for (kind, rate) in highestRateWithinTarget.sorted(by: { $0.key < $1.key }) {
            lines += ["", "Highest rate with p99 ≤ \(p99Target) ms and < 1% errors, \(kind): **\(Int(rate))/s**"]
        }
        if !handshakes.isEmpty {
            lines += ["", "## TLS handshakes (`openssl s_time -new -tls1_2`, same client and cipher, alternating rounds)", "",
                "| cipher | rounds | CIRA port /s (median) | `openssl s_server` /s (median) | ratio (median of rounds) | ratios per round | server CPU µs/handshake, host / s_server |",
                "|---|---|---|---|---|---|---|"]
            for entry in handshakes {
                let perRound = entry.rounds.map { String(format: "%.2f", $0.ratio) }.joined(separator: ", ")
                lines.append("| \(entry.cipher) | \(entry.rounds.count) | \(Int(entry.host)) | \(Int(entry.opensslServer)) | **\(String(format: "%.2f", entry.ratio))** | \(perRound) | \(entry.hostCPUMicros) / \(entry.opensslServerCPUMicros) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The host's CPU per request over the simulator's, in the same step. On this shared machine
    /// both swing with its speed; while `amtsim`'s work per request stays the same (compare
    /// only builds where it does), the ratio often swings less than either (sixth session, two
    /// runs of one build at 1,000/s: ±1 % where the host's own figure moved ±6 %), though not
    /// always (one connection: ±11 % both).
    static func cpuRatio(_ step: RESTStep) -> String {
        step.deviceMicrosPerRequest > 0 ? String(format: "%.2f", Double(step.cpuMicrosPerRequest) / Double(step.deviceMicrosPerRequest)) : "–"
    }
}
