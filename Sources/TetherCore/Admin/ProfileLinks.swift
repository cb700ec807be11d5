import Store
import TetherJSON

/// The checks of a profile's links that need the store (shared/reference/rps.md §2.3 rules 14–15): every Wi-Fi
/// profile named in `wifiConfigs` exists, and `ieee8021xProfileName` names a *wired* 802.1x
/// config. Names are rewritten to their stored spelling.
struct ProfileLinks {
    let store: TetherStore
    let tenantId: String

    /// Field errors for `profile` (the merged profile JSON), which is updated in place.
    func check(_ profile: inout [String: JSONValue], isUpdate: Bool) async throws -> [FieldError] {
        var errors: [FieldError] = []
        let names = (profile["wifiConfigs"]?.arrayValue ?? []).compactMap { $0["profileName"]?.stringValue }
        if !names.isEmpty {
            let missing = try await store.wirelessConfigs.missing(names, tenantId: tenantId)
            if !missing.isEmpty {
                errors.append(FieldError(field: "wifiConfigs", message: "wifi configs \(missing.joined(separator: ",")) does not exists in db"))
            }
        }
        if let name = profile["ieee8021xProfileName"]?.stringValue {
            if let config = try await store.ieee8021xConfigs.find(profileName: name, tenantId: tenantId) {
                if !config.wiredInterface {
                    errors.append(FieldError(field: "ieee8021xProfileName", message: "Ieee8021x profile \(name) is for wireless interfaces"))
                }
                profile["ieee8021xProfileName"] = .string(config.profileName)
            } else {
                // RPS words the two cases differently; both kept.
                errors.append(FieldError(
                    field: "ieee8021xProfileName",
                    message: isUpdate ? "IEEEProfile config \(name) does not exists in db" : "Ieee8021x profile \(name) does not exist in db"))
            }
        }
        return errors
    }
}
