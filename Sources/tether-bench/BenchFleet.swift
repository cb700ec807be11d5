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
    private let simulators: AMTSimProcesses
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
        simulators = AMTSimProcesses(
            port: port,
            credentials: .init(
                username: Self.username, password: Self.password, amtPassword: Self.amtPassword, rootFile: rootFile))
        note("CIRA server on port \(port)")
    }

    /// Spawns the devices (`perProcess` per amtsim process, `ramp` connections/s each) and waits
    /// until all are connected or no progress was made for 60 s. Devices that fail (e.g. a
    /// handshake timeout under load) retry with backoff, like AMT.
    func connect(perProcess: Int, ramp: Double) async throws -> Int {
        let started = ContinuousClock.now
        try simulators.spawn(devices: devices, perProcess: perProcess, ramp: ramp)
        var best = 0
        var lastProgress = ContinuousClock.now
        while server.sessions.count < devices && ContinuousClock.now - lastProgress < .seconds(60) && simulators.anyRunning {
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
        simulators.stop()
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
