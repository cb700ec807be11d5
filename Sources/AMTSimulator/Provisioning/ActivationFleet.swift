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

    /// The outcome of ``activate()`` (or ``maintain(task:amtPassword:)``).
    public struct Report: Sendable {
        /// Operations that succeeded.
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
        await runEach(firmwares) { index, firmware in
            ("activate --profile \(self.configuration.profile)", firmware.devicePayload(hostname: "amtsim-\(index)"))
        }
    }

    /// Runs a maintenance task (`syncip`, `syncdeviceinfo`, `synctime`, `synchostname`, as rpc-go's
    /// `maintenance --password X --TASK`) on every activated device, with the AMT password the
    /// profile set (a static one: the client cannot know a random one, as with rpc-go).
    public func maintain(task: String, amtPassword: String) async -> Report {
        let activated = firmwares.filter { ($0.provisioning?.controlMode ?? 0) != 0 }
        return await runEach(activated) { index, firmware in
            ("maintenance --password \(amtPassword) --\(task)", firmware.devicePayload(hostname: "amtsim-\(index)", adminPassword: amtPassword))
        }
    }

    /// One RPC operation per firmware, at most ``Configuration/concurrency`` at once.
    private func runEach(
        _ targets: [AMTFirmware], _ request: @escaping @Sendable (Int, AMTFirmware) -> (method: String, payload: DevicePayload)
    ) async -> Report {
        let started = ContinuousClock.now
        let width = max(1, configuration.concurrency)
        var succeeded = 0
        var failures: [String: String] = [:]
        var failed = 0
        await withTaskGroup(of: (String, String?).self) { group in
            var next = 0
            func launch() {
                let firmware = targets[next]
                let index = next
                next += 1
                let options = configuration.client
                group.addTask {
                    let guid = firmware.configuration.uuid.guidString.lowercased()
                    let (method, payload) = request(index, firmware)
                    do {
                        let outcome = try await RPCClient.run(method: method, firmware: firmware, payload: payload, options: options)
                        return (guid, outcome.succeeded ? nil : "\(outcome.method): \(outcome.message)")
                    } catch {
                        return (guid, "\(error)")
                    }
                }
            }
            while next < targets.count, next < width { launch() }
            while let (guid, error) = await group.next() {
                if let error {
                    failed += 1
                    if failures.count < 10 { failures[guid] = error }
                } else {
                    succeeded += 1
                }
                if next < targets.count { launch() }
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Report(activated: succeeded, failed: failed, failures: failures, seconds: seconds)
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
