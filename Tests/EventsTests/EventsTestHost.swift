import AMTSimulator
import APF
import Foundation
import Logging
import NIOPosix
import PluginHost
import Store
import TestSupport
import TetherJSON
@testable import TetherCore

/// A real host for the event, webhook, MQTT and job tests: store, CIRA on a free loopback port,
/// optionally HTTP, the bundled plugins, in a temporary data directory.
struct EventsTestHost: Sendable {
    let host: TetherHost
    let dataDirectory: String

    static let mpsUsername = "events-user"
    static let mpsPassword = "Events-P@ss1"
    static let amtPassword = "Events-Amt-P@ss1"

    static func start(
        pluginConfigs: [String: JSONValue] = [:], pluginDirectories: [String] = [], http: Bool = false, control: Bool = false,
        amtCallTimeout: Duration = .seconds(5), configure: (inout TetherConfiguration) -> Void = { _ in }
    ) async throws -> EventsTestHost {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-events-\(UUID().uuidString)").path
        var configuration = TetherConfiguration(
            dataDirectory: directory, pluginDirectories: pluginDirectories, pluginConfigs: pluginConfigs,
            pluginTimeout: .seconds(20), logLevel: "critical")
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.commonName = "127.0.0.1"
        configuration.instanceName = "events-test"
        configuration.amtCallTimeout = amtCallTimeout
        configure(&configuration)
        var logger = Logger(label: "events-test")
        logger.logLevel = .critical
        let host = TetherHost(configuration: configuration, logger: logger)
        var services: TetherHost.Services = [.store, .cira]
        if http { services.insert(.http) }
        if control { services.insert(.control) }
        try await host.start(services)
        return EventsTestHost(host: host, dataDirectory: directory)
    }

    func stop() async {
        await host.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Registers `count` devices of fleet `seed` (shared MPS and AMT credentials, `tags(index)`)
    /// in the store and returns a fleet that connects them to this host (not started).
    func fleet(
        count: Int, seed: UInt64, tenantId: String = "", tags: (Int) -> [String] = { _ in [] }, register: Bool = true,
        configure: (inout FleetConfiguration) -> Void = { _ in }
    ) async throws -> SimulatedFleet {
        guard let store = host.store, let port = host.ciraPort, let authority = host.certificateAuthority else {
            throw TestSetupError("host not started")
        }
        for index in 0..<count where register {
            let guid = SimulatedFleet.uuid(seed: seed, index: index).guidString.lowercased()
            _ = try await store.devices.create(
                Device(guid: guid, hostname: "sim-\(index)", tags: tags(index), mpsUsername: Self.mpsUsername, tenantId: tenantId),
                secrets: DeviceSecrets(mpsPassword: Secret(Self.mpsPassword), amtPassword: Secret(Self.amtPassword)))
        }
        var configuration = FleetConfiguration(
            count: count, serverHost: "127.0.0.1", serverPort: port, username: Self.mpsUsername, password: Self.mpsPassword)
        configuration.seed = seed
        configuration.amtPassword = Self.amtPassword
        configuration.rampPerSecond = 0
        configuration.tls.trustedRootPEM = authority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configure(&configuration)
        return try SimulatedFleet(configuration: configuration, group: Self.fleetGroup)
    }

    /// The simulated devices' own event-loop thread, so that their TLS and APF work does not
    /// queue behind the host's (and the other suites') work on the shared loops.
    static let fleetGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Waits until the host has a session with the AMT port forwarded for each of `guids`.
    func waitForSessions(_ guids: [String], timeout: Duration = .seconds(120)) async -> Bool {
        await eventually(timeout: timeout) {
            guids.allSatisfy { host.ciraServer?.session(for: $0)?.forwardedPorts.contains(16992) == true }
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, at most `timeout` (polls every 50 ms).
func eventually(timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
