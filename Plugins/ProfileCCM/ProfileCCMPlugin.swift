import ProfilePolicyKit
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    ProfileCCMPlugin.entry(hostABI: hostABI)
}

/// The bundled policy for Client Control Mode profiles (`ccmactivate`), shared/reference/rps.md §2.3 and §3:
/// user consent is always "All" (set when absent, any other value rejected); a MEBx password
/// cannot be set remotely in CCM, so a sent one is dropped (never stored) and random MEBx is
/// turned off, as RPS does on PATCH (shared/reference/rps.md §2.2; §9 quirk 22 recommends the same for POST);
/// redirection defaults KVM on, SOL/IDER off.
final class ProfileCCMPlugin: ProfilePolicyPlugin {
    static let info = PluginInfo(id: "io.tether.profile-ccm", name: "CCM profile policy", version: "1.0.0")

    static let mode = "ccmactivate"
    static let rules: ProfileRules = CCMRules.apply

    init(host: PluginHostConnection, config: JSONValue) throws {}
}

enum CCMRules {
    static func apply(_ profile: inout ProfileDocument, _ errors: inout [PolicyFieldError]) {
        // A MEBx password is meaningless in CCM (AMT accepts it only in ACM). Clients that switch a
        // profile from ACM to CCM re-send the whole form, so it is ignored rather than refused;
        // it is cleared below and never reaches the secret store.
        if let consent = profile["userConsent"], consent != .null {
            if !(consent.stringValue.map(ProfileDocument.consentValues.contains) ?? false) {
                errors.append(PolicyFieldError("userConsent", ProfileDocument.consentMessage))
            }
            if consent.stringValue != "All" {
                errors.append(PolicyFieldError("userConsent", "User consent is required for all the actions in client control mode"))
            }
        }
        profile["userConsent"] = "All"
        profile["generateRandomMEBxPassword"] = false
        profile["mebxPassword"] = .null
        profile.applyRedirectionDefaults()
    }
}
