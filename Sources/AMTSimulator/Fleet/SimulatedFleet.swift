import APF
import Foundation
import NIOCore
import NIOPosix
import TetherTLS

/// Many simulated devices against one server: started at a ramp, each with its own firmware,
/// stable UUID and (optionally) a fault. Thread-safe.
public final class SimulatedFleet: Sendable {
    public let configuration: FleetConfiguration
    public let devices: [SimulatedDevice]
    public let firmwares: [AMTFirmware]
    private let startedAt = Date()

    /// Counts of devices per status.
    public struct Progress: Sendable, Equatable, CustomStringConvertible {
        public var total = 0
        public var connected = 0
        public var connecting = 0
        public var reconnecting = 0
        public var failed = 0
        public var idle = 0
        /// Completed handshakes, reconnects included.
        public var handshakes = 0

        public var description: String {
            "connected \(connected)/\(total)  connecting \(connecting)  reconnecting \(reconnecting)  failed \(failed)  handshakes \(handshakes)"
        }
    }

    public init(configuration: FleetConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(TLSError) {
        self.configuration = configuration
        var tlsOptions = configuration.tls
        if configuration.useProfileTLSOffer { configuration.profile.tls.apply(to: &tlsOptions) }
        let sharedTLS = try SimulatedDevice.makeTLSContext(tlsOptions)
        var devices: [SimulatedDevice] = []
        var firmwares: [AMTFirmware] = []
        for index in 0..<configuration.count {
            let uuid = FleetRandom.uuid(seed: configuration.seed, index: index)
            var random = FleetRandom(seed: configuration.seed, index: index, stream: 11)
            let faults = configuration.faults
            func pick(_ fraction: Double) -> Bool { random.unit() < fraction }
            var deviceConfiguration = SimulatedDeviceConfiguration(
                uuid: uuid, serverHost: configuration.serverHost, serverPort: configuration.serverPort,
                username: configuration.username, password: configuration.password)
            deviceConfiguration.tls = tlsOptions
            deviceConfiguration.reconnect = configuration.reconnect
            if !configuration.sourceAddresses.isEmpty {
                deviceConfiguration.sourceAddress = configuration.sourceAddresses[index % configuration.sourceAddresses.count]
            }
            var firmwareConfiguration = AMTFirmwareConfiguration(uuid: uuid, password: configuration.amtPassword, profile: configuration.profile)
            if pick(faults.dropConnection) { deviceConfiguration.faults.dropConnectionAfter = faults.dropAfter }
            if pick(faults.stopKeepAlives) { deviceConfiguration.faults.stopKeepAlives = true }
            if pick(faults.malformedAPF) { deviceConfiguration.faults.sendMalformedAPF = true }
            if pick(faults.wrongPassword) { deviceConfiguration.faults.wrongPassword = true }
            if pick(faults.refuseChannels) { deviceConfiguration.faults.refuseChannels = faults.refuseReason }
            if pick(faults.slowWSMan) { firmwareConfiguration.faults.responseDelay = faults.slowDelay }
            if pick(faults.hangWSMan) { firmwareConfiguration.faults.neverAnswer = true }
            let firmware = AMTFirmware(configuration: firmwareConfiguration)
            firmwares.append(firmware)
            devices.append(try SimulatedDevice(configuration: deviceConfiguration, firmware: firmware, tls: sharedTLS, group: group))
        }
        self.devices = devices
        self.firmwares = firmwares
    }

    /// The UUID device `index` of a fleet seeded with `seed` gets (stable across runs).
    public static func uuid(seed: UInt64, index: Int) -> AMTUUID {
        FleetRandom.uuid(seed: seed, index: index)
    }

    /// Starts every device, `rampPerSecond` per second; returns when all were started.
    public func start() async {
        let interval = configuration.rampPerSecond > 0 ? 1.0 / configuration.rampPerSecond : 0
        let begin = ContinuousClock.now
        for (index, device) in devices.enumerated() {
            if interval > 0 {
                let due = begin + .milliseconds(Int64(Double(index) * interval * 1000))
                if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
            }
            device.start()
        }
    }

    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for device in devices { group.addTask { await device.stop() } }
        }
    }

    public var progress: Progress {
        var progress = Progress(total: devices.count)
        for device in devices {
            progress.handshakes += device.connectCount
            switch device.status {
            case .connected: progress.connected += 1
            case .connecting: progress.connecting += 1
            case .reconnecting: progress.reconnecting += 1
            case .failed: progress.failed += 1
            case .idle, .stopped: progress.idle += 1
            }
        }
        return progress
    }

    /// Waits until at least `count` devices are connected, at most `timeout`.
    public func waitForConnected(_ count: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if progress.connected >= count { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return progress.connected >= count
    }

    /// The end-of-run summary (JSON-friendly).
    public func summary() -> [String: Any] {
        let progress = self.progress
        var failures: [String: Int] = [:]
        for device in devices {
            switch device.status {
            case .failed(let reason), .reconnecting(let reason): failures[reason, default: 0] += 1
            default: break
            }
        }
        return [
            "devices": progress.total, "connected": progress.connected, "connecting": progress.connecting,
            "reconnecting": progress.reconnecting, "failed": progress.failed, "handshakes": progress.handshakes,
            "seconds": Date().timeIntervalSince(startedAt), "server": "\(configuration.serverHost):\(configuration.serverPort)",
            "seed": configuration.seed, "firmware": configuration.profile.amtVersion,
            "failureReasons": failures,
            "wsmanCalls": firmwares.reduce(0) { $0 + $1.calls.count },
        ]
    }
}
