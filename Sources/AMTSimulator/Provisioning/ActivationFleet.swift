import Activation
import APF
import Foundation
import TetherTLS

/// A fleet of unprovisioned simulated devices that activate together over `/activate` (each
/// playing rpc-go), then dial in over CIRA with exactly what activation wrote into them.
public final class ActivationFleet: Sendable {
    /// How the fleet is made and where it activates.
    public struct Configuration: Sendable {
        public var devices: Int
        /// Same seed = same device UUIDs (``SimulatedFleet/uuid(seed:index:)``).
        public var seed: UInt64
        /// The profile name sent with `activate --profile`.
        public var profile: String
        public var client: RPCClientOptions
        /// Activations running at once.
        public var concurrency: Int
        /// DNS suffix the devices report (ACM needs one with a matching domain).
        public var dnsSuffix = "example.com"
        /// Trusted provisioning-root hashes the devices report.
        public var certHashes: [String] = []
        public var firmwareProfile: FirmwareProfile = .amt16

        public init(devices: Int, seed: UInt64 = 1, profile: String, client: RPCClientOptions, concurrency: Int? = nil) {
            self.devices = devices
            self.seed = seed
            self.profile = profile
            self.client = client
            self.concurrency = concurrency ?? devices
        }
    }

    /// The outcome of ``activate()``.
    public struct Report: Sendable {
        public var activated: Int
        public var failed: Int
        /// The first few failure messages (by device GUID).
        public var failures: [String: String]
        public var seconds: Double
    }

    public let configuration: Configuration
    /// One firmware per device, unprovisioned until ``activate()``.
    public let firmwares: [AMTFirmware]

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.firmwares = (0..<max(0, configuration.devices)).map { index in
            var firmware = AMTFirmwareConfiguration(
                uuid: SimulatedFleet.uuid(seed: configuration.seed, index: index), password: RandomPassword.make(),
                profile: configuration.firmwareProfile)
            firmware.provisioning = FirmwareProvisioning(
                localPassword: RandomPassword.make(length: 32), dnsSuffix: configuration.dnsSuffix, certHashes: configuration.certHashes)
            return AMTFirmware(configuration: firmware)
        }
    }

    /// Activates every device (at most ``Configuration/concurrency`` at once).
    public func activate() async -> Report {
        let started = ContinuousClock.now
        let method = "activate --profile \(configuration.profile)"
        let width = max(1, configuration.concurrency)
        var activated = 0
        var failures: [String: String] = [:]
        var failed = 0
        await withTaskGroup(of: (String, String?).self) { group in
            var next = 0
            func launch() {
                let firmware = firmwares[next]
                let index = next
                next += 1
                let options = configuration.client
                group.addTask {
                    let guid = firmware.configuration.uuid.guidString.lowercased()
                    do {
                        let outcome = try await RPCClient.run(
                            method: method, firmware: firmware, payload: firmware.devicePayload(hostname: "amtsim-\(index)"),
                            options: options)
                        return (guid, outcome.succeeded ? nil : "\(outcome.method): \(outcome.message)")
                    } catch {
                        return (guid, "\(error)")
                    }
                }
            }
            while next < firmwares.count, next < width { launch() }
            while let (guid, error) = await group.next() {
                if let error {
                    failed += 1
                    if failures.count < 10 { failures[guid] = error }
                } else {
                    activated += 1
                }
                if next < firmwares.count { launch() }
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Report(activated: activated, failed: failed, failures: failures, seconds: seconds)
    }

    /// Simulated devices for the activated firmwares, configured from what activation wrote
    /// (devices without a complete CIRA configuration are left out). Not started.
    public func ciraDevices(reconnect: Bool = true) throws(TLSError) -> [SimulatedDevice] {
        var devices: [SimulatedDevice] = []
        for firmware in firmwares {
            guard var configuration = ProvisionedCIRA.configuration(for: firmware) else { continue }
            configuration.reconnect = reconnect
            devices.append(try SimulatedDevice(configuration: configuration, firmware: firmware))
        }
        return devices
    }
}
