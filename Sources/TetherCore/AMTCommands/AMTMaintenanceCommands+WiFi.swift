import AMT
import PluginHost
import Store
import TetherJSON
import WSMan

extension AMTMaintenanceCommands {
    /// `amt.wifi.apply {guid, profileName}`: writes the AMT profile's Wi-Fi links into the
    /// connected device, in priority order (`AddWiFiSettings` each, every ReturnValue checked),
    /// the sealed passphrases unsealed only into the request. The 802.1x Wi-Fi methods need
    /// client certificates this host does not issue yet: they are reported, not written.
    /// Result: ``AMTWiFiApplication`` (`{"applied": [name…], "failed": [{profileName, reason, returnValue?}…]}`).
    func applyWiFi(_ client: AMTDeviceClient, _ args: JSONValue) async throws -> JSONValue {
        guard let store = store() else { throw CommandError(.unavailable, "the store is not open") }
        guard let profileName = args["profileName"]?.stringValue, !profileName.isEmpty else {
            throw CommandError(.badRequest, "amt.wifi.apply needs {\"guid\", \"profileName\"}")
        }
        let device = try await store.devices.find(guid: client.guid)
        let profile = try await store.profiles.get(profileName: profileName, tenantId: device.tenantId)
        var result = AMTWiFiApplication()
        for link in profile.wifiConfigs.sorted(by: { $0.priority < $1.priority }) {
            let config = try await store.wirelessConfigs.get(profileName: link.profileName, tenantId: device.tenantId)
            guard config.authenticationMethod.usesPSK,
                  let passphrase = try await store.wirelessConfigs.pskPassphrase(profileName: config.profileName, tenantId: device.tenantId)
            else {
                result.failed.append(.init(profileName: config.profileName, reason: "802.1x Wi-Fi profiles are not written yet (no client certificate)"))
                continue
            }
            let settings = WiFiEndpointSettings(
                elementName: config.profileName, ssid: config.ssid, authenticationMethod: config.authenticationMethod.rawValue,
                encryptionMethod: config.encryptionMethod.rawValue, priority: link.priority, pskPassphrase: passphrase.reveal())
            let value = try await Self.amt { () throws(AMTError) in try await client.addWiFiSettings(settings) }
            if value.isSuccess {
                result.applied.append(config.profileName)
            } else {
                result.failed.append(.init(profileName: config.profileName, reason: "AddWiFiSettings returned \(value)", returnValue: value.code))
            }
        }
        try await store.audit.append(AuditEvent(
            tenantId: device.tenantId, actor: args["actor"]?.stringValue ?? "admin", action: "device.wifi.apply", target: device.guid,
            detail: "profile \(profile.profileName): \(result.applied.count) written, \(result.failed.count) not"))
        return result.json
    }
}
