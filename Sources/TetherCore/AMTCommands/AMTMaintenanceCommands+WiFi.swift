import Activation
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
    /// The same ``WiFiPlan/resolve(_:tenantId:store:)`` feeds activation's Wi-Fi steps.
    /// Result: ``AMTWiFiApplication`` (`{"applied": [name…], "failed": [{profileName, reason, returnValue?}…]}`).
    func applyWiFi(_ client: AMTDeviceClient, _ args: JSONValue) async throws -> JSONValue {
        guard let store = store() else { throw CommandError(.unavailable, "the store is not open") }
        guard let profileName = args["profileName"]?.stringValue, !profileName.isEmpty else {
            throw CommandError(.badRequest, "amt.wifi.apply needs {\"guid\", \"profileName\"}")
        }
        let device = try await store.devices.find(guid: client.guid)
        let profile = try await store.profiles.get(profileName: profileName, tenantId: device.tenantId)
        let plan = try await WiFiPlan.resolve(profile, tenantId: device.tenantId, store: store)
        var result = AMTWiFiApplication()
        result.failed = plan.skipped.map { .init(profileName: $0.name, reason: $0.reason) }
        for settings in plan.profiles {
            let value = try await Self.amt { () throws(AMTError) in try await client.addWiFiSettings(settings) }
            if value.isSuccess {
                result.applied.append(settings.elementName)
            } else {
                result.failed.append(.init(profileName: settings.elementName, reason: "AddWiFiSettings returned \(value)", returnValue: value.code))
            }
        }
        try await store.audit.append(AuditEvent(
            tenantId: device.tenantId, actor: args["actor"]?.stringValue ?? "admin", action: "device.wifi.apply", target: device.guid,
            detail: "profile \(profile.profileName): \(result.applied.count) written, \(result.failed.count) not"))
        return result.json
    }
}

extension WiFiPlan {
    /// What a profile's Wi-Fi links write into AMT, shared by `amt.wifi.apply` (over CIRA) and
    /// activation (over the websocket): every linked wireless config in priority order, PSK
    /// ones with their passphrase unsealed into the settings, 802.1x ones listed as skipped.
    static func resolve(_ profile: Profile, tenantId: String, store: TetherStore) async throws -> WiFiPlan {
        var profiles: [WiFiEndpointSettings] = []
        var skipped: [SkippedConfiguration] = []
        for link in profile.wifiConfigs.sorted(by: { $0.priority < $1.priority }) {
            let config = try await store.wirelessConfigs.get(profileName: link.profileName, tenantId: tenantId)
            guard config.authenticationMethod.usesPSK,
                  let passphrase = try await store.wirelessConfigs.pskPassphrase(profileName: config.profileName, tenantId: tenantId)
            else {
                skipped.append(.ieee8021x(config.profileName))
                continue
            }
            profiles.append(WiFiEndpointSettings(
                elementName: config.profileName, ssid: config.ssid, authenticationMethod: config.authenticationMethod.rawValue,
                encryptionMethod: config.encryptionMethod.rawValue, priority: link.priority, pskPassphrase: passphrase.reveal()))
        }
        return WiFiPlan(localProfileSync: profile.localWifiSyncEnabled ?? false, profiles: profiles, skipped: skipped)
    }
}
