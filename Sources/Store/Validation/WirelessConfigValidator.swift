/// Validates Wi-Fi profile input with RPS's rules and messages (shared/reference/rps.md §5.1; RPS
/// `routes/admin/wireless/wirelessValidator.ts`), returning every field error in RPS's order.
///
/// The 802.1x reference is resolved by the caller (it needs the store) and passed in.
public struct WirelessConfigValidator: Sendable {
    public static let maximumSSIDLength = 32
    public static let passphraseLengths = 8...63
    /// AMT's `LinkPolicy` values: 1 S0 AC, 14 Sx AC, 16 S0 DC, 224 Sx DC.
    public static let linkPolicyValues: Set<Int> = [1, 14, 16, 224]

    static let methodMessage = "Authentication method must be one of "
        + WirelessAuthenticationMethod.allCases.map { "\($0.rawValue):\($0.label)" }.joined(separator: ", ")
    static let encryptionMessage = "Encryption method must be one of "
        + WirelessEncryptionMethod.allCases.map { "\($0.rawValue):\($0.label)" }.joined(separator: ", ")
    static let passphraseMessage = "PSK Passphrase length should be greater than or equal to 8 and less than or equal to 63"

    /// What the draft's `ieee8021xProfileName` names, as looked up by the caller.
    public enum Reference: Sendable, Equatable {
        /// The name is absent, or was not looked up.
        case none
        /// No 802.1x config has this name.
        case missing
        /// The config exists; `wired` is its interface.
        case found(wired: Bool)
    }

    public init() {}

    /// Validates a create (or, with `isUpdate`, an update) body. `hasStoredPassphrase` lets an
    /// update of a PSK profile omit the passphrase to keep the stored one (RPS would reject it).
    public func validate(
        _ draft: WirelessConfigDraft, reference: Reference, isUpdate: Bool = false, hasStoredPassphrase: Bool = false
    ) -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

        errors += NameRules.alphanumericNameErrors(draft.profileName.value ?? "", noun: "Wireless profile")

        if draft.authenticationMethod.isAbsent { fail("authenticationMethod", "Authentication method is required") }
        let method = draft.authenticationMethod.value.flatMap(WirelessAuthenticationMethod.init(rawValue:))
        if method == nil { fail("authenticationMethod", Self.methodMessage) }

        if draft.encryptionMethod.isAbsent { fail("encryptionMethod", "Encryption method is required") }
        if draft.encryptionMethod.value.flatMap(WirelessEncryptionMethod.init(rawValue:)) == nil {
            fail("encryptionMethod", Self.encryptionMessage)
        }

        let ssid = draft.ssid.value ?? ""
        if ssid.isEmpty { fail("ssid", "SSID is required") }
        if ssid.count > Self.maximumSSIDLength { fail("ssid", "Maximum length is 32") }

        if method?.usesPSK == true {
            switch draft.pskPassphrase {
            case .value(let phrase) where !Self.passphraseLengths.contains(phrase.count): fail("pskPassphrase", Self.passphraseMessage)
            case .wrongType: fail("pskPassphrase", Self.passphraseMessage)
            case .absent where !(isUpdate && hasStoredPassphrase): fail("pskPassphrase", Self.passphraseMessage)
            default: break
            }
        } else if case .value(let phrase) = draft.pskPassphrase, phrase.count > Self.passphraseLengths.upperBound {
            fail("pskPassphrase", Self.passphraseMessage)
        }
        if case .wrongType = draft.pskValue { fail("pskValue", "pskValue must be an integer") }

        let ieee = draft.ieee8021xProfileName.value ?? ""
        if method?.usesIEEE8021x == true {
            if ieee.isEmpty { fail("ieee8021xProfileName", "ieee8021xProfileName is required") }
        } else if !ieee.isEmpty || draft.ieee8021xProfileName == .wrongType {
            fail("ieee8021xProfileName", "ieee8021xProfileName can not be specified with the provided authenticationMethod")
        }
        if !ieee.isEmpty {
            switch reference {
            case .missing: fail("ieee8021xProfileName", "Ieee8021x profile \(ieee) does not exist in db")
            case .found(wired: true): fail("ieee8021xProfileName", "Ieee8021x profile \(ieee) is for wired interfaces")
            case .found(wired: false), .none: break
            }
        }

        switch draft.linkPolicy {
        case .absent: break
        case .wrongType: fail("linkPolicy", "LinkPolicy should be an array of integers")
        case .value(let values):
            if values.contains(where: { $0 == nil }) {
                fail("linkPolicy", "Array does not contain integers")
            } else if !values.allSatisfy({ Self.linkPolicyValues.contains($0 ?? -1) }) {
                fail("linkPolicy", "Array values should be either 1: available on S0 AC, 14: available on Sx AC, 16: available on S0 DC, 224: available on Sx DC")
            }
        }

        if isUpdate, !draft.hasVersion { fail("version", "Version is required to patch/update a record.") }
        return errors
    }
}
