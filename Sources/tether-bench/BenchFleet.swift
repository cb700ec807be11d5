import AMTSimulator
import CIRA
import Foundation
import Logging
import TetherTLS

#if canImport(Glibc)
import Glibc
#endif

/// A CIRA server in this process and `amtsim` processes dialling into it: the harness every
/// benchmark shares.
final class BenchFleet {
    static let username = "bench"
    static let password = "bench-password"
    static let amtPassword = "Bench-P@ssw0rd1"

    let server: CIRAServer
    let port: Int
    let devices: Int
    private let rootFile: URL
    private var children: [Process] = []
    private(set) var connectTime: Duration = .zero

    init(devices: Int) async throws {
        FileDescriptorLimit.raiseToMaximum()
        let authority = try CertificateAuthority.generate(commonName: "127.0.0.1")
        let tls = try TLSContext(
            configuration: .server(
                profile: .legacy, certificateChainPEM: authority.serverCertificateChainPEM,
                privateKeyPEM: authority.serverPrivateKeyPEM, requestClientCertificate: true))
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var settings = CIRASettings()
        settings.maxPendingHandshakesPerAddress = 100_000
        server = CIRAServer(settings: settings, tls: tls, authenticator: AcceptShared(), logger: logger)
        port = try await server.start(host: "127.0.0.1", port: 0)
        self.devices = devices
        rootFile = FileManager.default.temporaryDirectory.appendingPathComponent("bench-root-\(getpid()).pem")
        try authority.rootCertificatePEM.write(to: rootFile, atomically: true, encoding: .utf8)
        note("CIRA server on port \(port)")
    }

    /// Spawns the devices (`perProcess` per amtsim process, `ramp` connections/s each) and waits
    /// until all are connected or no progress was made for 60 s. Devices that fail (e.g. a
    /// handshake timeout under load) retry with backoff, like AMT.
    func connect(perProcess: Int, ramp: Double) async throws -> Int {
        let amtsim = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/amtsim"
        let started = ContinuousClock.now
        var remaining = devices, seed: UInt64 = 1000, sourceBlock = 1
        while remaining > 0 {
            let count = min(perProcess, remaining)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: amtsim)
            process.arguments = [
                "--server", "127.0.0.1:\(port)", "--devices", "\(count)", "--username", Self.username,
                "--password", Self.password, "--amt-password", Self.amtPassword, "--root-cert", rootFile.path,
                "--common-name", "127.0.0.1", "--seed", "\(seed)", "--ramp", "\(ramp)",
                "--source-ips", "127.0.\(sourceBlock).1-127.0.\(sourceBlock).200",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            children.append(process)
            remaining -= count
            seed += 1
            sourceBlock += 1
        }
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
                note("\(count) of \(devices) tunnels up")
            }
        }
        connectTime = ContinuousClock.now - started
        return server.sessions.count
    }

    func stop() async {
        for child in children { child.terminate() }
        for child in children { child.waitUntilExit() }
        await server.stop()
        try? FileManager.default.removeItem(at: rootFile)
    }

    static var machine: String {
        "\(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_048_576) MiB"
    }
}

func note(_ text: String) {
    FileHandle.standardError.write(Data("tether-bench: \(text)\n".utf8))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

struct AcceptShared: CIRADeviceAuthenticator {
    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        request.username == BenchFleet.username && request.password == BenchFleet.password
            ? .accept : .reject(reason: "wrong credentials")
    }
}
