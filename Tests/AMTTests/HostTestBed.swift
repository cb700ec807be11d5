import AMTSimulator
import APF
import Foundation
import TestSupport
import Logging
import PluginHost
import Store
import TetherCore

/// A real `TetherHost` (store, certificate authority, CIRA listener on loopback, bundled plugins
/// and the C vendor example built with `make`), shared by the host-level tests.
struct HostTestBed: Sendable {
    let host: TetherHost

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One host for the whole run (starting one generates RSA keys, slow in debug builds).
    static let shared = Task<HostTestBed, any Error> { try await start() }

    static func start() async throws -> HostTestBed {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tether-amt-\(UUID().uuidString)")
        let pluginDirectory = base.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: pluginDirectory, withIntermediateDirectories: true)
        let example = repositoryRoot.appendingPathComponent("examples/signage-display-restart").path
        try await run("/usr/bin/make", ["-s", "-B", "-C", example, "libsignage_display_restart.so"])
        try FileManager.default.moveItem(
            atPath: example + "/libsignage_display_restart.so",
            toPath: pluginDirectory.appendingPathComponent("libsignage_display_restart.so").path)
        var configuration = TetherConfiguration(
            dataDirectory: base.appendingPathComponent("data").path, pluginDirectories: [pluginDirectory.path],
            loadBundledPlugins: true, pluginTimeout: .seconds(20), logLevel: "critical")
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.commonName = "127.0.0.1"
        // Generous: the full suite starts ~100 suites at once on 2 cores (no test here waits for a timeout).
        configuration.amtCallTimeout = .seconds(30)
        var logger = Logger(label: "amt-host-test")
        logger.logLevel = .critical
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .cira])
        return HostTestBed(host: host)
    }

    /// Registers a device (MPS and AMT passwords in the store) and connects its simulator.
    func connect(
        _ uuid: AMTUUID, storedAMTPassword: String = "P@ssw0rd-amt", configure: (inout AMTFirmwareConfiguration) -> Void = { _ in }
    ) async throws -> (SimulatedDevice, AMTFirmware) {
        let guid = uuid.guidString.lowercased()
        guard let store = host.store, let authority = host.certificateAuthority, let port = host.ciraPort else {
            throw TestSetupError("host not started")
        }
        _ = try await store.devices.create(
            Device(guid: guid, mpsUsername: "admin01"),
            secrets: DeviceSecrets(mpsPassword: Secret("P@ssw0rd-device"), amtPassword: Secret(storedAMTPassword)))
        var firmwareConfiguration = AMTFirmwareConfiguration(uuid: uuid, password: "P@ssw0rd-amt")
        configure(&firmwareConfiguration)
        let firmware = AMTFirmware(configuration: firmwareConfiguration)
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: port, username: "admin01", password: "P@ssw0rd-device")
        configuration.tls.trustedRootPEM = authority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configuration.reconnect = false
        let device = try SimulatedDevice(configuration: configuration, firmware: firmware)
        device.start()
        _ = await device.waitUntilConnected()
        for _ in 0..<250 {
            if host.ciraServer?.session(for: guid)?.forwardedPorts.contains(16992) == true { return (device, firmware) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("device \(guid) did not connect to the host")
    }

    static func run(_ executable: String, _ arguments: [String]) async throws {
        try await ChildProcess.checked(executable, arguments)
    }
}
