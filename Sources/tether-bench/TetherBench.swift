import ArgumentParser
import CIRA
import Foundation
import Logging
import TetherTLS

#if canImport(Glibc)
import Glibc
#endif

/// Benchmarks of the CIRA server, written as a report. Build in release:
///
///     swift run -c release tether-bench tunnels --devices 5000 --report benchmarks/tunnels.md
///
/// `tunnels` starts a CIRA server in this process, spawns `amtsim` processes (next to this
/// binary) that open N tunnels, waits until all are up and idle, and reports the server's
/// resident memory per idle tunnel and the connect rate.
@main
struct TetherBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether-bench", abstract: "Tether benchmarks (run with -c release).", subcommands: [Tunnels.self])
}

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
        FileDescriptorLimitRaiser.raise()
        let authority = try CertificateAuthority.generate(commonName: "127.0.0.1")
        let tls = try TLSContext(
            configuration: .server(
                profile: .legacy, certificateChainPEM: authority.serverCertificateChainPEM,
                privateKeyPEM: authority.serverPrivateKeyPEM, requestClientCertificate: true))
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var settings = CIRASettings()
        settings.maxPendingHandshakesPerAddress = 100_000
        let server = CIRAServer(settings: settings, tls: tls, authenticator: AcceptShared(), logger: logger)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        note("CIRA server on port \(port); starting \(devices) devices")
        try await Task.sleep(for: .seconds(1))
        let baseline = ResidentMemory.bytes()
        note("baseline RSS \(baseline / 1024) KiB")

        let rootFile = FileManager.default.temporaryDirectory.appendingPathComponent("bench-root-\(getpid()).pem")
        try authority.rootCertificatePEM.write(to: rootFile, atomically: true, encoding: .utf8)
        let amtsim = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/amtsim"
        var children: [Process] = []
        let started = ContinuousClock.now
        var remaining = devices, seed: UInt64 = 1000, sourceBlock = 1
        while remaining > 0 {
            let count = min(perProcess, remaining)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: amtsim)
            process.arguments = [
                "--server", "127.0.0.1:\(port)", "--devices", "\(count)", "--username", "bench", "--password", "bench-password",
                "--root-cert", rootFile.path, "--common-name", "127.0.0.1", "--seed", "\(seed)", "--ramp", "\(ramp)",
                "--source-ips", "127.0.\(sourceBlock).1-127.0.\(sourceBlock).200",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.standardError
            try process.run()
            children.append(process)
            remaining -= count
            seed += 1
            sourceBlock += 1
        }
        // Devices that fail (e.g. a handshake timeout under load) retry with backoff, like AMT.
        // Stop waiting when all are up, or when no progress was made for 60 s.
        var best = 0
        var lastProgress = ContinuousClock.now
        while server.sessions.count < devices && ContinuousClock.now - lastProgress < .seconds(60)
            && children.contains(where: \.isRunning)
        {
            try await Task.sleep(for: .milliseconds(200))
            let count = server.sessions.count
            if count > best {
                best = count
                lastProgress = ContinuousClock.now
            }
        }
        let connectTime = ContinuousClock.now - started
        note("\(server.sessions.count) tunnels up; settling")
        let connected = server.sessions.count
        try await Task.sleep(for: .milliseconds(Int64(settle * 1000)))
        let loaded = ResidentMemory.bytes()
        for child in children { child.terminate() }
        for child in children { child.waitUntilExit() }
        await server.stop()
        try? FileManager.default.removeItem(at: rootFile)

        let perTunnel = connected > 0 ? Double(loaded - baseline) / Double(connected) : 0
        let seconds = Double(connectTime.components.seconds) + Double(connectTime.components.attoseconds) / 1e18
        let text = """
            # Tether CIRA tunnel benchmark

            - command: `swift run -c release tether-bench tunnels --devices \(devices) --per-process \(perProcess) --ramp \(ramp)`
            - date: \(ISO8601DateFormatter().string(from: Date()))
            - machine: \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_048_576) MiB
            - tunnels established: \(connected) of \(devices) (TLS 1.2/legacy profile, full APF handshake, 7 forwarded ports)
            - failed handshakes retried by the devices: \(server.metrics.snapshot["handshakes_failed"] ?? 0)
            - time to establish all: \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", Double(connected) / max(seconds, 0.001))) handshakes/s; clients on the same 2 cores)
            - server RSS before: \(baseline / 1024) KiB, with all tunnels idle: \(loaded / 1024) KiB
            - **server memory per idle tunnel: \(String(format: "%.1f", perTunnel / 1024)) KiB**

            """
        print(text)
        if let report { try text.write(toFile: report, atomically: true, encoding: .utf8) }
    }
}

func note(_ text: String) {
    FileHandle.standardError.write(Data("tether-bench: \(text)\n".utf8))
}

struct AcceptShared: CIRADeviceAuthenticator {
    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        request.username == "bench" && request.password == "bench-password" ? .accept : .reject(reason: "wrong credentials")
    }
}

/// Resident set size of this process, from /proc/self/statm (read with fgets: Foundation's
/// file reading truncates /proc files).
enum ResidentMemory {
    static func bytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
        let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

enum FileDescriptorLimitRaiser {
    static func raise() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
