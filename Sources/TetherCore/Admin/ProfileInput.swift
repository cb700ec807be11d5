import Store
import TetherJSON

/// The host's mode-independent profile rules (shared/reference/rps.md §2.3), applied before the policy plugin of
/// the profile's activation mode sees it. Messages are RPS's.
///
/// The result is the merged profile as JSON (Open AMT field names, passwords included for the
/// policy to check) plus the field errors found.
struct ProfileInput {
    static let amtPasswordMissing = "Either generateRandomPassword should be enabled or provide amtPassword"
    static let activationValues =
        "Activation accepts either acmactivate (admin control activation) or ccmactivate (client control mode activation)"
    static let tlsModeMessage =
        "tlsMode must be set to one of these values: 1 (Server Authentication Only), 2 (Server and Non-TLS Authentication), 3 (Mutual TLS only), 4 (Mutual and Non-TLS authentication)"

    var profile: [String: JSONValue]
    var errors: [FieldError] = []

    /// The fields in the order RPS's validator chain checks them (shared/reference/rps.md §2.3). Clients such as
    /// the peer's test suite read `errors[0]`, so the host's errors and the policy plugin's are
    /// merged in this order (see `ordered(_:)`).
    static let fieldOrder = [
        "profileName", "activation", "amtPassword", "generateRandomPassword", "mebxPassword",
        "generateRandomMEBxPassword", "tlsMode", "tlsSigningAuthority", "ciraConfigName", "tags", "dhcpEnabled",
        "ipSyncEnabled", "localWifiSyncEnabled", "wifiConfigs", "ieee8021xProfileName", "userConsent",
        "iderEnabled", "kvmEnabled", "solEnabled", "version",
    ]

    /// `errors` stably sorted by `fieldOrder`: errors of one field keep their relative order
    /// (host rules before the policy's), fields RPS does not know come last.
    static func ordered(_ errors: [FieldError]) -> [FieldError] {
        func rank(_ error: FieldError) -> Int { fieldOrder.firstIndex(of: error.field) ?? fieldOrder.count }
        return errors.enumerated()
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            .map(\.element)
    }

    /// `stored` is the current profile on update (nil on create). `isUpdate` defaults to
    /// `stored != nil`; an update of a profile that does not exist passes `true` with no stored
    /// profile, so the body is checked with the update rules before the 404 (RPS's order).
    init(_ args: AdminArguments, stored: Profile?, isUpdate: Bool? = nil) {
        let isUpdate = isUpdate ?? (stored != nil)
        profile = stored.map { AdminJSON.profile($0).objectValue ?? [:] } ?? [:]
        profile["version"] = nil
        profile["tenantId"] = .string(args.tenantId)
        if let stored {
            profile["amtPasswordStored"] = .bool(stored.hasAMTPassword)
            profile["mebxPasswordStored"] = .bool(stored.hasMEBxPassword)
        }

        // 1. profileName
        let name = args.text("profileName") ?? ""
        if name.isEmpty {
            errors.append(FieldError(field: "profileName", message: "AMT profile name is required"))
        }
        if !NameRules.hasValidCharacters(name, specials: NameRules.profileNameSpecials) {
            errors.append(FieldError(field: "profileName", message: "AMT profile name accepts letters, numbers, special characters and no spaces"))
        }
        if name.count > NameRules.maximumLength {
            errors.append(FieldError(field: "profileName", message: "AMT profile name should not exceed \(NameRules.maximumLength) characters"))
        }
        profile["profileName"] = .string(stored?.profileName ?? name)

        // 2. activation
        switch args.string("activation") {
        case .value(let mode):
            if ActivationMode(rawValue: mode) == nil {
                errors.append(FieldError(field: "activation", message: Self.activationValues))
            }
            profile["activation"] = .string(mode)
        case .absent where isUpdate:
            break
        case .absent, .null:
            if !isUpdate { errors.append(FieldError(field: "activation", message: "Activation is required")) }
            errors.append(FieldError(field: "activation", message: Self.activationValues))
        case .wrongType:
            errors.append(FieldError(field: "activation", message: Self.activationValues))
        }

        // 3-4. AMT password / generateRandomPassword (the strength rule always applies).
        let amtPassword = args.text("amtPassword")
        if case .wrongType = args.string("amtPassword") {
            errors.append(FieldError(field: "amtPassword", message: PasswordRules.weakAMTPasswordMessage))
        }
        var generate: Bool?
        switch args.bool("generateRandomPassword") {
        case .value(let flag): generate = flag
        case .wrongType:
            errors.append(FieldError(field: "generateRandomPassword", message: "Generate random AMT password must be a boolean true or false"))
        case .absent, .null: break
        }
        let storedAMT = (stored?.hasAMTPassword ?? false) && generate != true
        let effectiveGenerate = generate ?? (amtPassword == nil ? (stored?.generateRandomPassword ?? false) : false)
        if amtPassword == nil, !effectiveGenerate, !storedAMT {
            errors.append(FieldError(field: "activation", message: Self.amtPasswordMissing))
        }
        if let amtPassword, !PasswordRules.isStrongAMTPassword(amtPassword) {
            errors.append(FieldError(field: "amtPassword", message: PasswordRules.weakAMTPasswordMessage))
        }
        if generate == true, amtPassword != nil {
            errors.append(FieldError(field: "generateRandomPassword", message: "Either generate Random AMT Password should be enabled or should provide AMT Password but not both"))
        } else if !effectiveGenerate, amtPassword == nil, !storedAMT {
            errors.append(FieldError(field: "generateRandomPassword", message: "If generate random AMT password is disabled, amtPassword is mandatory"))
        }
        profile["generateRandomPassword"] = .bool(effectiveGenerate)
        profile["amtPassword"] = amtPassword.map(JSONValue.string) ?? .null
        if generate == true || amtPassword != nil { profile["amtPasswordStored"] = .bool(false) }

        // 5-6. MEBx: types only; the rules belong to the mode's policy.
        switch args.string("mebxPassword") {
        case .value(let text): profile["mebxPassword"] = .string(text)
        case .wrongType: errors.append(FieldError(field: "mebxPassword", message: PasswordRules.weakMEBxPasswordMessage))
        case .absent, .null: profile["mebxPassword"] = .null
        }
        copyBool(args, "generateRandomMEBxPassword", "Generate random MEBx password must be a boolean true or false")
        if args.bool("generateRandomMEBxPassword").isTrue || args.text("mebxPassword") != nil {
            profile["mebxPasswordStored"] = .bool(false)
        }

        // 7-9. TLS and CIRA.
        switch args.int("tlsMode") {
        case .value(let mode):
            if !(1...4).contains(mode) { errors.append(FieldError(field: "tlsMode", message: Self.tlsModeMessage)) }
            profile["tlsMode"] = .number(mode)
        case .wrongType: errors.append(FieldError(field: "tlsMode", message: Self.tlsModeMessage))
        case .null: profile["tlsMode"] = .null
        case .absent: break
        }
        switch args.string("tlsSigningAuthority") {
        case .value(let authority):
            if !["SelfSigned", "MicrosoftCA"].contains(authority) {
                errors.append(FieldError(field: "tlsSigningAuthority", message: "TLS Signing Authority must be one of SelfSigned,MicrosoftCA"))
            }
            profile["tlsSigningAuthority"] = .string(authority)
        case .wrongType:
            errors.append(FieldError(field: "tlsSigningAuthority", message: "TLS Signing Authority must be one of SelfSigned,MicrosoftCA"))
        case .null: profile["tlsSigningAuthority"] = .null
        case .absent: break
        }
        switch args.string("ciraConfigName") {
        case .value(let cira): profile["ciraConfigName"] = .string(cira)
        case .null: profile["ciraConfigName"] = .null
        case .wrongType: errors.append(FieldError(field: "ciraConfigName", message: "ciraConfigName must be a string"))
        case .absent: break
        }
        let tlsOn = profile["tlsMode"].map { !$0.isNull } ?? false
        if tlsOn, let cira = profile["ciraConfigName"], !cira.isNull {
            errors.append(FieldError(field: "ciraConfigName", message: "CIRA cannot be configured if TLS is enabled"))
        }
        if tlsOn {
            if profile["tlsSigningAuthority"] == nil || profile["tlsSigningAuthority"] == .null {
                profile["tlsSigningAuthority"] = "SelfSigned"
            }
        } else {
            profile["tlsSigningAuthority"] = .null
        }

        // 10. tags
        switch args.stringList("tags") {
        case .value(let tags): profile["tags"] = .array(tags.map(JSONValue.string))
        case .null: profile["tags"] = .array([])
        case .wrongType: errors.append(FieldError(field: "tags", message: "Invalid value"))
        case .absent: if !isUpdate { profile["tags"] = .array([]) }
        }

        // 11-13. DHCP and sync flags.
        switch args.bool("dhcpEnabled") {
        case .value(let flag): profile["dhcpEnabled"] = .bool(flag)
        case .absent where isUpdate: break
        case .absent, .null:
            errors.append(FieldError(field: "dhcpEnabled", message: "Invalid value"))
            errors.append(FieldError(field: "dhcpEnabled", message: "DHCP enabled must be a boolean"))
        case .wrongType:
            errors.append(FieldError(field: "dhcpEnabled", message: "DHCP enabled must be a boolean"))
        }
        copyBool(args, "ipSyncEnabled", "ipSyncEnabled must be a boolean")
        copyBool(args, "localWifiSyncEnabled", "localWifiSyncEnabled must be a boolean")

        // 14-15. Wi-Fi links and the wired 802.1x config (shape here; existence: `ProfileLinks`).
        readLinks(args, stored: stored, isUpdate: isUpdate)

        // 16-17. userConsent (value rules belong to the policy) and redirection flags.
        switch args.string("userConsent") {
        case .value(let consent): profile["userConsent"] = .string(consent)
        case .wrongType: profile["userConsent"] = args.members["userConsent"]
        case .null: profile["userConsent"] = .null
        case .absent: break
        }
        copyBool(args, "iderEnabled", "IDER enabled must be a boolean")
        copyBool(args, "kvmEnabled", "KVM enabled must be a boolean")
        copyBool(args, "solEnabled", "Serial Over Lan (sol) enabled must be a boolean")

        if isUpdate, args.version == nil {
            errors.append(FieldError(field: "version", message: "Version is required to patch/update a record."))
        }
    }

    /// Copies an optional boolean member, or records `message` when it is not a boolean.
    private mutating func copyBool(_ args: AdminArguments, _ key: String, _ message: String) {
        switch args.bool(key) {
        case .value(let flag): profile[key] = .bool(flag)
        case .null: profile[key] = .null
        case .wrongType: errors.append(FieldError(field: key, message: message))
        case .absent: break
        }
    }

    /// The activation mode, when valid.
    var mode: ActivationMode? { profile["activation"]?.stringValue.flatMap(ActivationMode.init(rawValue:)) }
}

extension AdminArguments.Value where T == Bool {
    var isTrue: Bool {
        if case .value(true) = self { return true }
        return false
    }
}
