import ProfilePolicyKit
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    ProfileACMPlugin.entry(hostABI: hostABI)
}

/// The bundled policy for Admin Control Mode profiles (`acmactivate`), shared/reference/rps.md §2.3 and §3:
/// a MEBx password (static and strong, or random — not both) is required; user consent is
/// None, KVM or All (default KVM); redirection defaults KVM on, SOL/IDER off.
final class ProfileACMPlugin: ProfilePolicyPlugin {
    static let info = PluginInfo(id: "io.tether.profile-acm", name: "ACM profile policy", version: "1.0.0")

    static let mode = "acmactivate"
    static let rules: ProfileRules = ACMRules.apply

    init(host: PluginHostConnection, config: JSONValue) throws {}
}

enum ACMRules {
    static func apply(_ profile: inout ProfileDocument, _ errors: inout [PolicyFieldError]) {
        let mebx = profile.string("mebxPassword")
        let generate = profile.isTrue("generateRandomMEBxPassword")
        let stored = profile.isTrue("mebxPasswordStored")
        if profile.hasAMTPassword, mebx == nil, !generate, !stored {
            errors.append(PolicyFieldError("activation", "MEBx Password is required for acmactivate"))
        }
        if let mebx, !PolicyPasswords.isStrong(mebx) {
            errors.append(PolicyFieldError("mebxPassword", PolicyPasswords.weakMEBxMessage))
        }
        if generate, mebx != nil {
            errors.append(PolicyFieldError(
                "generateRandomMEBxPassword", "Either generate MEBx password should be enabled or should provide MEBx password, but not both"))
        } else if !generate, mebx == nil, !stored {
            errors.append(PolicyFieldError(
                "generateRandomMEBxPassword", "If generate random MEBx password is disabled, mebxPassword is mandatory"))
        }
        if let consent = profile["userConsent"], consent != .null,
           !(consent.stringValue.map(ProfileDocument.consentValues.contains) ?? false) {
            errors.append(PolicyFieldError("userConsent", ProfileDocument.consentMessage))
        }
        profile.defaultValue("userConsent", "KVM")
        profile.applyRedirectionDefaults()
        if generate { profile["mebxPassword"] = .null }
    }
}
