/// How a Wi-Fi network authenticates (AMT `CIM_WiFiEndpointSettings.AuthenticationMethod`).
public enum WirelessAuthenticationMethod: Int, Sendable, Equatable, CaseIterable {
    case wpaPSK = 4
    case wpaIEEE8021x = 5
    case wpa2PSK = 6
    case wpa2IEEE8021x = 7

    /// The label RPS uses in its messages.
    public var label: String {
        switch self {
        case .wpaPSK: return "WPA PSK"
        case .wpaIEEE8021x: return "WPA IEEE 802.1x"
        case .wpa2PSK: return "WPA2 PSK"
        case .wpa2IEEE8021x: return "WPA2 IEEE 802.1x"
        }
    }

    /// True for the pre-shared-key methods (a PSK passphrase is required).
    public var usesPSK: Bool { self == .wpaPSK || self == .wpa2PSK }
    /// True for the 802.1x methods (a wireless 802.1x config is required).
    public var usesIEEE8021x: Bool { !usesPSK }
}

/// Wi-Fi encryption (AMT `CIM_WiFiEndpointSettings.EncryptionMethod`).
public enum WirelessEncryptionMethod: Int, Sendable, Equatable, CaseIterable {
    case tkip = 3
    case ccmp = 4

    public var label: String { self == .tkip ? "TKIP" : "CCMP" }
}

/// A Wi-Fi profile that AMT profiles link to (RPS `wirelessconfigs`).
///
/// The PSK passphrase is sealed in the store and never part of this value; `hasPSKPassphrase`
/// says whether one is stored. Read it with `WirelessConfigRepository.pskPassphrase(profileName:tenantId:)`.
public struct WirelessConfig: Sendable, Equatable {
    public var profileName: String
    public var authenticationMethod: WirelessAuthenticationMethod
    public var encryptionMethod: WirelessEncryptionMethod
    public var ssid: String
    /// RPS's `pskValue` (an integer the UI never sets); kept as given.
    public var pskValue: Int?
    /// Power states the profile is available in: 1 S0 AC, 14 Sx AC, 16 S0 DC, 224 Sx DC.
    public var linkPolicy: [Int]
    /// The wireless 802.1x config, for the 802.1x methods only.
    public var ieee8021xProfileName: String?
    public var tenantId: String
    /// Optimistic-concurrency token: 1 after create, +1 on every update. Ignored by create.
    public var version: Int
    /// Whether a PSK passphrase is stored (read-only).
    public internal(set) var hasPSKPassphrase: Bool

    public init(
        profileName: String, authenticationMethod: WirelessAuthenticationMethod,
        encryptionMethod: WirelessEncryptionMethod, ssid: String, pskValue: Int? = nil, linkPolicy: [Int] = [],
        ieee8021xProfileName: String? = nil, tenantId: String = "", version: Int = 0
    ) {
        self.profileName = profileName
        self.authenticationMethod = authenticationMethod
        self.encryptionMethod = encryptionMethod
        self.ssid = ssid
        self.pskValue = pskValue
        self.linkPolicy = linkPolicy
        self.ieee8021xProfileName = ieee8021xProfileName
        self.tenantId = tenantId
        self.version = version
        self.hasPSKPassphrase = false
    }
}
