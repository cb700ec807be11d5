import AMTSimulator
import ArgumentParser
import Foundation
import TetherTLS

@main
struct AMTSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amtsim",
        abstract: "Simulated Intel AMT devices: real TLS, APF (CIRA) and WS-Man with digest auth.",
        discussion: """
            Runs one device or a fleet against a CIRA server (Tether, or any MPS). Each device dials \
            out over TLS, authenticates with the MPS username/password, forwards the AMT ports and \
            answers WS-Management on port 16992 inside the tunnel like AMT firmware. Prints live \
            progress to stderr and a JSON summary to stdout when it stops (SIGINT/SIGTERM, --duration, \
            --until-connected, or with --no-reconnect once every device has failed).

            Example: amtsim --server 127.0.0.1:4433 --username standalone --password 'G@ppm0ym' --insecure
            """)

    @Option(help: "CIRA server as host:port.")
    var server: String = "127.0.0.1:4433"

    @Option(help: "Number of devices.")
    var devices: Int = 1

    @Option(help: "MPS username (the CIRA config's user name).")
    var username: String?

    @Option(help: "MPS password (the CIRA config's password).")
    var password: String?

    @Flag(help: "Print the GUIDs of the --devices N devices of --seed (one per line) and exit.")
    var printGuids = false

    @Option(help: "AMT admin password the simulated firmware accepts (digest auth on 16992); with --activate --maintenance, the profile's static AMT password sent with the task.")
    var amtPassword: String = "P@ssw0rd"

    @Option(help: "Seed for the devices' stable UUIDs (same seed = same devices).")
    var seed: UInt64 = 1

    @Option(help: "New connections per second (0 = no ramp).")
    var ramp: Double = 200

    @Option(name: .customLong("source-ips"), help: "Source addresses to spread connections over, e.g. 127.0.0.2-127.0.0.9.")
    var sourceIPs: String?

    @Option(help: "Firmware generation to emulate: 11, 12 or 16 (version strings, capabilities, TLS offer).")
    var firmware: Int = 16

    @Option(help: "PEM file with the MPS root certificate to trust (the CIRA config's root certificate).")
    var rootCert: String?

    @Option(help: "Common name the server certificate must carry (the CIRA config's CN). Default: the server host.")
    var commonName: String?

    @Flag(help: "Do not verify the server certificate (quick demos only).")
    var insecure = false

    @Option(help: "Lowest TLS version to offer: 1.0, 1.1, 1.2, 1.3 (overrides the firmware profile).")
    var tlsMin: String?

    @Option(help: "Highest TLS version to offer (overrides the firmware profile).")
    var tlsMax: String?

    @Option(help: "OpenSSL cipher list to offer (overrides the firmware profile).")
    var ciphers: String?

    @Flag(inversion: .prefixedNo, help: "Reconnect with exponential backoff after failures and drops.")
    var reconnect = true

    @Option(help: "Stop after this many seconds (default: run until SIGINT/SIGTERM).")
    var duration: Double?

    @Flag(help: "Stop as soon as every device is connected (with --duration as the limit): for scripts that need a fleet up.")
    var untilConnected = false

    @Option(help: "Serve device state and call logs as JSON on 127.0.0.1:PORT (GET /devices, /devices/{guid}).")
    var controlPort: Int?

    @Option(help: "Also write the JSON summary to this file.")
    var summaryFile: String?

    @Option(help: "Fraction of devices that drop their TCP connection (after --drop-after seconds).")
    var dropFraction: Double = 0
    @Option(help: "Seconds after connecting at which dropping devices drop.")
    var dropAfter: Double = 5
    @Option(help: "Fraction of devices that stop sending keep-alives.")
    var silentFraction: Double = 0
    @Option(help: "Fraction of devices whose WS-Man answers are slow (by --slow-delay seconds).")
    var slowFraction: Double = 0
    @Option(help: "Delay of slow WS-Man answers, seconds.")
    var slowDelay: Double = 3
    @Option(help: "Fraction of devices that never answer WS-Man.")
    var hangFraction: Double = 0
    @Option(help: "Fraction of devices that refuse channel opens (reason --refuse-reason).")
    var refuseFraction: Double = 0
    @Option(help: "Channel-open refusal reason: 2 (connect failed) or 4 (resource shortage).")
    var refuseReason: UInt32 = 4
    @Option(help: "Fraction of devices that send malformed APF after connecting.")
    var malformedFraction: Double = 0
    @Option(help: "Fraction of devices that present a wrong MPS password.")
    var wrongPasswordFraction: Double = 0

    @Option(help: "Start unprovisioned and activate with this profile over --activation-url (plays rpc-go), then dial in over CIRA with what activation wrote.")
    var activate: String?
    @Option(help: "The activation websocket, ws(s)://HOST:PORT/activate (Tether's HTTP(S) port).")
    var activationUrl: String?
    @Option(help: "DNS suffix the unprovisioned devices report (ACM: a domain's suffix).")
    var dnsSuffix: String = "example.com"
    @Option(help: "After --activate: run this maintenance task on every device (syncip, syncdeviceinfo, synctime, synchostname), as rpc-go's `maintenance`.")
    var maintenance: String?

    func validate() throws {
        guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
        if printGuids { return }
        if activate != nil {
            guard activationUrl != nil else { throw ValidationError("--activate needs --activation-url ws(s)://HOST:PORT/activate") }
            if let maintenance {
                guard ["syncip", "syncdeviceinfo", "synctime", "synchostname"].contains(maintenance) else {
                    throw ValidationError("--maintenance must be syncip, syncdeviceinfo, synctime or synchostname")
                }
            }
            guard username == nil, password == nil else {
                throw ValidationError("with --activate the MPS credentials come from what activation writes; drop --username/--password")
            }
            return
        }
        guard username != nil, password != nil else { throw ValidationError("give --username and --password (the CIRA config's credentials)") }
        guard [11, 12, 16].contains(firmware) else { throw ValidationError("--firmware must be 11, 12 or 16") }
        guard refuseReason == 2 || refuseReason == 4 else { throw ValidationError("--refuse-reason must be 2 or 4") }
        for (name, value) in [
            ("drop", dropFraction), ("silent", silentFraction), ("slow", slowFraction), ("hang", hangFraction),
            ("refuse", refuseFraction), ("malformed", malformedFraction), ("wrong-password", wrongPasswordFraction),
        ] where !(0...1).contains(value) {
            throw ValidationError("--\(name)-fraction must be between 0 and 1")
        }
        if !insecure && rootCert == nil {
            throw ValidationError("give --root-cert FILE (the MPS root certificate) or --insecure")
        }
    }

    func run() async throws {
        if printGuids {
            for index in 0..<devices { print(SimulatedFleet.uuid(seed: seed, index: index).guidString) }
            return
        }
        if let activate, let activationUrl {
            try await ActivationRun(
                devices: devices, seed: seed, profile: activate, url: activationUrl, insecure: insecure, rootCert: rootCert,
                dnsSuffix: dnsSuffix, firmware: FirmwareProfile(generation: firmware) ?? .amt16, duration: duration,
                untilConnected: untilConnected, summaryFile: summaryFile,
                maintenance: maintenance.map { ($0, amtPassword) }
            ).run()
            return
        }
        let fleet = try SimulatedFleet(configuration: try makeConfiguration())
        let limit = FileDescriptorLimit.raiseToMaximum()
        if limit < devices + 64 {
            FileHandle.standardError.write(Data("warning: open-file limit \(limit) is below \(devices + 64); split the fleet over several processes\n".utf8))
        }
        var control: FleetControlServer?
        if let controlPort {
            control = try await FleetControlServer.start(fleet: fleet, port: controlPort)
            FileHandle.standardError.write(Data("control endpoint: http://127.0.0.1:\(control!.port)/devices\n".utf8))
        }
        let progress = ProgressPrinter(fleet: fleet)
        progress.start()
        await fleet.start()
        let target = devices
        // --until-connected: stop once every device is up; --no-reconnect: once every device has
        // failed its one attempt (nothing is left to do).
        let stopWhenConnected = untilConnected, stopWhenAllFailed = !reconnect
        var finished: (@Sendable () -> String?)?
        if stopWhenConnected || stopWhenAllFailed {
            finished = { @Sendable () -> String? in
                let progress = fleet.progress
                if stopWhenConnected && progress.connected >= target { return "connected" }
                if stopWhenAllFailed && progress.failed >= target { return "failed" }
                return nil
            }
        }
        let reason = await StopSignal.wait(duration: duration, until: finished)
        progress.stop()
        let summary = fleet.summary()
        await fleet.stop()
        try? await control?.stop()
        var object = summary
        object["stoppedBy"] = reason
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        if let summaryFile { try data.write(to: URL(fileURLWithPath: summaryFile)) }
    }

    private func makeConfiguration() throws -> FleetConfiguration {
        let parts = server.split(separator: ":")
        guard parts.count >= 2, let port = Int(parts.last!), (1...65535).contains(port) else {
            throw ValidationError("--server must be host:port")
        }
        let host = parts.dropLast().joined(separator: ":")
        var configuration = FleetConfiguration(
            count: devices, serverHost: host, serverPort: port, username: username ?? "", password: password ?? "")
        configuration.seed = seed
        configuration.amtPassword = amtPassword
        configuration.rampPerSecond = ramp
        configuration.reconnect = reconnect
        configuration.profile = FirmwareProfile(generation: firmware) ?? .amt16
        if let sourceIPs { configuration.sourceAddresses = try SourceAddressRange.parse(sourceIPs) }
        configuration.tls.insecure = insecure
        configuration.tls.commonName = commonName ?? host
        if let rootCert {
            guard let pem = try? String(contentsOfFile: rootCert, encoding: .utf8) else {
                throw ValidationError("cannot read --root-cert \(rootCert)")
            }
            configuration.tls.trustedRootPEM = pem
        }
        if tlsMin != nil || tlsMax != nil || ciphers != nil {
            configuration.useProfileTLSOffer = false
            configuration.profile.tls.apply(to: &configuration.tls)
            if let tlsMin { configuration.tls.minimumVersion = try Self.version(tlsMin) }
            if let tlsMax { configuration.tls.maximumVersion = try Self.version(tlsMax) }
            if let ciphers { configuration.tls.cipherList = ciphers }
        }
        var faults = FleetFaults()
        faults.dropConnection = dropFraction
        faults.dropAfter = .milliseconds(Int64(dropAfter * 1000))
        faults.stopKeepAlives = silentFraction
        faults.slowWSMan = slowFraction
        faults.slowDelay = .milliseconds(Int64(slowDelay * 1000))
        faults.hangWSMan = hangFraction
        faults.refuseChannels = refuseFraction
        faults.refuseReason = .init(rawValue: refuseReason)
        faults.malformedAPF = malformedFraction
        faults.wrongPassword = wrongPasswordFraction
        configuration.faults = faults
        return configuration
    }

    static func version(_ text: String) throws -> TLSVersion {
        switch text {
        case "1.0", "1": return .tls1_0
        case "1.1": return .tls1_1
        case "1.2": return .tls1_2
        case "1.3": return .tls1_3
        default: throw ValidationError("TLS version must be 1.0, 1.1, 1.2 or 1.3")
        }
    }
}
