import Activation
import AMTSimulator
import Foundation
import Logging
import PluginHost
import Store
import TetherCore
import TetherJSON
import TestSupport

/// A real host for activation tests: store, CIRA and HTTP on loopback ports, bundled plugins
/// (the profile policies and the power actions).
struct ActivationHost: Sendable {
    let host: TetherHost
    /// Everything the host logged (debug and up), to prove no secret is logged.
    let log: CapturedLog

    /// One host for every activation suite (starting one generates RSA keys: slow in debug
    /// builds on a loaded machine). Suites use their own profiles, CIRA configs and devices.
    static let shared = Task<ActivationHost, any Error> { try await start() }

    static func start(httpsPort: Bool = false) async throws -> ActivationHost {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-activation-\(UUID().uuidString)").path
        var configuration = TetherConfiguration(dataDirectory: directory)
        configuration.ciraBind = "127.0.0.1"
        // CIRA configs accept ports 1024–49151 only, so not an ephemeral one.
        configuration.ciraPort = Int.random(in: 20_000...39_999)
        configuration.httpPort = 0
        if httpsPort { configuration.httpsPort = 0 }
        configuration.commonName = "127.0.0.1"
        configuration.instanceName = "activation-test"
        configuration.amtCallTimeout = .seconds(10)
        let log = CapturedLog()
        let logger = log.logger(label: "activation-test", level: .debug)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let host = TetherHost(configuration: configuration, logger: logger)
            do {
                try await host.start([.store, .cira, .http])
                return ActivationHost(host: host, log: log)
            } catch {
                lastError = error
                await host.stop()
                configuration.ciraPort = Int.random(in: 20_000...39_999)
            }
        }
        throw lastError ?? CancellationError()
    }

    var activationURL: String { "ws://127.0.0.1:\(host.httpPort ?? 0)/activate" }
    var ciraPort: Int { host.ciraPort ?? 0 }

    func run(_ command: String, _ args: JSONValue) async throws -> JSONValue {
        try await host.bus.run(command, args: args)
    }

    /// A CIRA config pointing at this host's CIRA port (127.0.0.1) with the Cert. Hostname
    /// `commonName` — the name the device checks, which the host's default certificate for
    /// 127.0.0.1 lacks — and a profile using it (`extra` fields override the profile's).
    func createProfile(
        _ name: String, mode: String = "ccmactivate", commonName: String = "127.0.0.2", staticMPSPassword: String? = nil,
        extra: [String: JSONValue] = [:], staticAMTPassword: String? = nil
    ) async throws {
        var cira: [String: JSONValue] = [
            "configName": .string("cira-\(name)"), "mpsServerAddress": "127.0.0.1", "serverAddressFormat": 3,
            "mpsPort": .int(Int64(ciraPort)), "username": "admin01", "commonName": .string(commonName), "authMethod": 2,
        ]
        if let staticMPSPassword { cira["password"] = .string(staticMPSPassword) }
        _ = try await run("ciraconfigs.create", .object(cira))
        var profile: [String: JSONValue] = [
            "profileName": .string(name), "activation": .string(mode), "generateRandomPassword": true,
            "ciraConfigName": .string("cira-\(name)"), "dhcpEnabled": true, "tags": ["activated"],
        ]
        if mode == "acmactivate" { profile["generateRandomMEBxPassword"] = true }
        if let staticAMTPassword {
            profile["generateRandomPassword"] = false
            profile["amtPassword"] = .string(staticAMTPassword)
        }
        profile.merge(extra) { $1 }
        _ = try await run("profiles.create", .object(profile))
    }

    /// What happened when a device dialled in with what activation wrote and was reset to BIOS.
    struct DialIn: Sendable {
        var configuration: SimulatedDeviceConfiguration
        var status: SimulatedDevice.Status
        var tunnelUp: Bool
        /// `power.action` 101's `returnValue`, and the whole result.
        var returnValue: Int?
        var result: JSONValue
        var device: SimulatedDevice
    }

    /// Starts a simulated device configured only from what activation wrote into `firmware`
    /// (server certificate verified against the written root and CN), waits for its tunnel and
    /// runs reset-to-BIOS over it with the AMT password activation stored. Stop `device` after.
    func dialInAndResetToBIOS(_ firmware: AMTFirmware) async throws -> DialIn {
        let guid = firmware.configuration.uuid.guidString.lowercased()
        guard var configuration = ProvisionedCIRA.configuration(for: firmware) else {
            throw CancellationError()
        }
        configuration.reconnect = false
        let device = try SimulatedDevice(configuration: configuration, firmware: firmware)
        device.start()
        let status = await device.waitUntilConnected(timeout: .seconds(20))
        let tunnelUp = await eventually { host.ciraServer?.session(for: guid)?.forwardedPorts.contains(16992) == true }
        let result = try await run("power.action", ["guid": .string(guid), "action": 101])
        return DialIn(
            configuration: configuration, status: status, tunnelUp: tunnelUp,
            returnValue: result["returnValue"]?.intValue, result: result, device: device)
    }

    func stop() async { await host.stop() }
}
