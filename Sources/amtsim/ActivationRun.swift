import AMTSimulator
import ArgumentParser
import Foundation

/// `amtsim --devices N --activate PROFILE --activation-url ws(s)://HOST:PORT/activate`: the
/// fleet starts unprovisioned, activates over the websocket (each device playing rpc-go),
/// then dials in over CIRA with exactly what activation wrote (MPS address, user, password,
/// trusted root, CN). Prints the activation time and, when it stops, a JSON summary.
struct ActivationRun {
    var devices: Int
    var seed: UInt64
    var profile: String
    var url: String
    var insecure: Bool
    var rootCert: String?
    var dnsSuffix: String
    var firmware: FirmwareProfile
    var duration: Double?
    var untilConnected: Bool
    var summaryFile: String?
    /// A maintenance task run after activation, with the AMT password to send.
    var maintenance: (task: String, amtPassword: String)?

    func run() async throws {
        var client = RPCClientOptions(url: url)
        client.insecure = insecure
        if let rootCert {
            guard let pem = try? String(contentsOfFile: rootCert, encoding: .utf8) else {
                throw ValidationError("cannot read --root-cert \(rootCert)")
            }
            client.trustedRootPEM = pem
        }
        var configuration = ActivationFleet.Configuration(devices: devices, seed: seed, profile: profile, client: client)
        configuration.dnsSuffix = dnsSuffix
        configuration.firmwareProfile = firmware
        _ = FileDescriptorLimit.raiseToMaximum()
        let fleet = ActivationFleet(configuration: configuration)
        let report = await fleet.activate()
        FileHandle.standardError.write(Data(
            "activated \(report.activated)/\(devices) in \(String(format: "%.2f", report.seconds)) s (\(report.failed) failed)\n".utf8))
        for (guid, error) in report.failures.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("  \(guid): \(error)\n".utf8))
        }
        var maintained: ActivationFleet.Report?
        if let maintenance {
            let result = await fleet.maintain(task: maintenance.task, amtPassword: maintenance.amtPassword)
            FileHandle.standardError.write(Data(
                "maintenance \(maintenance.task): \(result.activated) succeeded, \(result.failed) failed in \(String(format: "%.2f", result.seconds)) s\n".utf8))
            for (guid, error) in result.failures.sorted(by: { $0.key < $1.key }) {
                FileHandle.standardError.write(Data("  \(guid): \(error)\n".utf8))
            }
            maintained = result
        }
        let simulated = try fleet.ciraDevices()
        simulated.forEach { $0.start() }
        let target = simulated.count
        var until: (@Sendable () -> String?)?
        if untilConnected {
            until = { @Sendable in simulated.filter { $0.status == .connected }.count >= target ? "connected" : nil }
        }
        let reason = await StopSignal.wait(duration: duration, until: until)
        let connected = simulated.filter { $0.status == .connected }.count
        for device in simulated { await device.stop() }
        var summary: [String: Any] = [
            "devices": devices, "activated": report.activated, "activationFailed": report.failed,
            "activationSeconds": report.seconds, "ciraConfigured": target, "connected": connected, "stoppedBy": reason,
        ]
        if let maintained, let maintenance {
            summary["maintenance"] = ["task": maintenance.task, "succeeded": maintained.activated, "failed": maintained.failed]
        }
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        if let summaryFile { try data.write(to: URL(fileURLWithPath: summaryFile)) }
        if report.failed > 0 || (maintained?.failed ?? 0) > 0 { throw ExitCode(1) }
    }
}
