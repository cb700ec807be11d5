/// The activation mode of an AMT profile.
public enum ActivationMode: String, Sendable, Equatable, CaseIterable {
    /// Admin Control Mode.
    case acm = "acmactivate"
    /// Client Control Mode.
    case ccm = "ccmactivate"
}

/// User consent required for redirection (KVM, SOL, IDER).
public enum UserConsent: String, Sendable, Equatable, CaseIterable {
    case none = "None"
    case kvm = "KVM"
    case all = "All"
}

/// An AMT profile: the recipe a device is activated with.
///
/// Static AMT/MEBx passwords are sealed in the store and are not part of this value; read them with
/// `ProfileRepository.secrets(profileName:tenantId:)`. Validation of profile rules belongs to the
/// profile-policy plugins; the store only enforces keys and the CIRA config reference.
public struct Profile: Sendable, Equatable {
    public var profileName: String
    public var activation: ActivationMode
    public var generateRandomPassword: Bool
    public var generateRandomMEBxPassword: Bool
    public var ciraConfigName: String?
    /// 1..4, nil = no TLS.
    public var tlsMode: Int?
    public var tlsSigningAuthority: String?
    public var userConsent: UserConsent?
    public var iderEnabled: Bool?
    public var kvmEnabled: Bool?
    public var solEnabled: Bool?
    public var dhcpEnabled: Bool
    public var ipSyncEnabled: Bool?
    public var localWifiSyncEnabled: Bool?
    public var tags: [String]
    public var ieee8021xProfileName: String?
    /// The linked Wi-Fi profiles, ordered by priority (stored in `profile_wifi_configs`).
    public var wifiConfigs: [ProfileWifiLink]
    public var tenantId: String
    /// Optimistic-concurrency token: 1 after create, +1 on every update. Ignored by create.
    public var version: Int
    /// Whether a static AMT password is stored (read-only).
    public internal(set) var hasAMTPassword: Bool
    /// Whether a static MEBx password is stored (read-only).
    public internal(set) var hasMEBxPassword: Bool

    public init(
        profileName: String, activation: ActivationMode, generateRandomPassword: Bool = true,
        generateRandomMEBxPassword: Bool = false, ciraConfigName: String? = nil, tlsMode: Int? = nil,
        tlsSigningAuthority: String? = nil, userConsent: UserConsent? = nil, iderEnabled: Bool? = nil,
        kvmEnabled: Bool? = nil, solEnabled: Bool? = nil, dhcpEnabled: Bool = true,
        ipSyncEnabled: Bool? = nil, localWifiSyncEnabled: Bool? = nil, tags: [String] = [],
        ieee8021xProfileName: String? = nil, wifiConfigs: [ProfileWifiLink] = [], tenantId: String = "",
        version: Int = 0
    ) {
        self.profileName = profileName
        self.activation = activation
        self.generateRandomPassword = generateRandomPassword
        self.generateRandomMEBxPassword = generateRandomMEBxPassword
        self.ciraConfigName = ciraConfigName
        self.tlsMode = tlsMode
        self.tlsSigningAuthority = tlsSigningAuthority
        self.userConsent = userConsent
        self.iderEnabled = iderEnabled
        self.kvmEnabled = kvmEnabled
        self.solEnabled = solEnabled
        self.dhcpEnabled = dhcpEnabled
        self.ipSyncEnabled = ipSyncEnabled
        self.localWifiSyncEnabled = localWifiSyncEnabled
        self.tags = tags
        self.ieee8021xProfileName = ieee8021xProfileName
        self.wifiConfigs = wifiConfigs
        self.tenantId = tenantId
        self.version = version
        self.hasAMTPassword = false
        self.hasMEBxPassword = false
    }
}

/// The sealed secrets of a profile, returned only by `ProfileRepository.secrets`.
public struct ProfileSecrets: Sendable, Equatable {
    public var amtPassword: Secret?
    public var mebxPassword: Secret?

    public init(amtPassword: Secret? = nil, mebxPassword: Secret? = nil) {
        self.amtPassword = amtPassword
        self.mebxPassword = mebxPassword
    }
}
