import Activation
import WSMan

extension AMTFirmware {
    /// A snapshot of the setup state (`nil` for a device created provisioned).
    public var provisioning: FirmwareProvisioning? { engine.withLock { $0.provisioning } }

    /// Changes the setup state (tests: "the user cleared the trusted hashes").
    public func modifyProvisioning(_ body: (inout FirmwareProvisioning) -> Void) {
        engine.withLock { engine in
            guard var setup = engine.provisioning else { return }
            body(&setup)
            engine.provisioning = setup
        }
    }

    /// Answers one raw HTTP request the way LMS does for RPC (the bytes of AMT's reply),
    /// or a 400 page for bytes that are not one complete HTTP request.
    func serveRaw(_ bytes: [UInt8]) -> [UInt8] {
        var parser = HTTPRequestParser()
        parser.append(bytes)
        guard let request = (try? parser.nextRequest()) ?? (try? parser.finish()) ?? nil else { return badRequest().bytes }
        return serve(request).bytes
    }

    /// The device payload RPC would send for this firmware (`ver`, `build`, `uuid`, mode,
    /// local account, DNS suffix, trusted hashes) — `password` is the local account's before
    /// activation and `adminPassword` afterwards.
    public func devicePayload(hostname: String, adminPassword: String? = nil) -> DevicePayload {
        let setup = provisioning
        let mode = setup?.controlMode ?? 1
        let version = configuration.profile.amtVersion
        return DevicePayload(
            ver: version, build: configuration.profile.buildNumber, sku: configuration.profile.sku, features: "Intel AMT Pro Corporate",
            uuid: configuration.uuid.guidString, username: mode == 0 ? setup?.localAccount : "admin",
            password: mode == 0 ? setup?.localPassword : adminPassword, currentMode: mode, hostname: hostname,
            fqdn: setup?.dnsSuffix ?? "", client: "RPC", certHashes: setup?.certHashes ?? [],
            hostnameInfo: DevicePayload.HostnameInfo(dnsSuffixOS: setup?.dnsSuffix, hostname: hostname),
            ipConfiguration: osIPConfiguration)
    }

    /// The OS's wired address as RPC reports it (`ipConfiguration`).
    public var osIPConfiguration: DevicePayload.IPConfiguration {
        let network = state.network
        let dhcp = network.wired?.dhcpEnabled ?? true
        return DevicePayload.IPConfiguration(
            dhcp: dhcp, static: !dhcp, ipsync: network.wired?.ipSyncEnabled ?? false, ipAddress: network.osAddress,
            netmask: network.osNetmask, gateway: network.osGateway, primaryDns: network.osDNS, secondaryDns: "")
    }
}
