/// An EAP method of an 802.1x config (AMT `AMT_8021XProfile.AuthenticationProtocol`).
public enum EAPMethod: Int, Sendable, Equatable, CaseIterable {
    case eapTLS = 0
    case eapTTLSMSCHAPv2 = 1
    case peapv0MSCHAPv2 = 2
    case peapv1GTC = 3
    case eapFASTMSCHAPv2 = 4
    case eapFASTGTC = 5
    case eapMD5 = 6
    case eapPSK = 7
    case eapSIM = 8
    case eapAKA = 9
    case eapFASTTLS = 10

    /// The label RPS uses in its messages.
    public var label: String {
        switch self {
        case .eapTLS: return "EAP-TLS"
        case .eapTTLSMSCHAPv2: return "EAP-TTLS/MSCHAPv2"
        case .peapv0MSCHAPv2: return "PEAPv0/EAP-MSCHAPv2"
        case .peapv1GTC: return "PEAPv1/EAP-GTC"
        case .eapFASTMSCHAPv2: return "EAP-FAST/MSCHAPv2"
        case .eapFASTGTC: return "EAP-FAST/GTC"
        case .eapMD5: return "EAP-MD5"
        case .eapPSK: return "EAP-PSK"
        case .eapSIM: return "EAP-SIM"
        case .eapAKA: return "EAP-AKA"
        case .eapFASTTLS: return "EAP-FAST/TLS"
        }
    }

    /// The methods AMT supports on the wired interface, in RPS's order.
    public static let wired: [EAPMethod] = [.eapTLS, .peapv1GTC, .eapFASTGTC, .eapFASTTLS, .peapv0MSCHAPv2]
    /// The methods AMT supports on the wireless interface, in RPS's order.
    public static let wireless: [EAPMethod] = [.eapTLS, .peapv0MSCHAPv2]
}

/// An 802.1x (EAP) config for the wired interface (linked from AMT profiles) or the wireless one
/// (linked from Wi-Fi profiles) — RPS `ieee8021xconfigs`.
///
/// The optional password is sealed in the store and never part of this value.
public struct IEEE8021xConfig: Sendable, Equatable {
    public var profileName: String
    public var authenticationProtocol: EAPMethod
    public var serverName: String?
    public var domain: String?
    public var username: String?
    public var roamingIdentity: String?
    public var activeInS0: Bool?
    /// Seconds AMT waits for 802.1x before a PXE boot (wired only; 0…86400).
    public var pxeTimeout: Int?
    /// True for the wired interface, false for wireless.
    public var wiredInterface: Bool
    public var tenantId: String
    /// Optimistic-concurrency token: 1 after create, +1 on every update. Ignored by create.
    public var version: Int
    /// Whether a password is stored (read-only).
    public internal(set) var hasPassword: Bool

    public init(
        profileName: String, authenticationProtocol: EAPMethod, serverName: String? = nil, domain: String? = nil,
        username: String? = nil, roamingIdentity: String? = nil, activeInS0: Bool? = nil, pxeTimeout: Int? = nil,
        wiredInterface: Bool, tenantId: String = "", version: Int = 0
    ) {
        self.profileName = profileName
        self.authenticationProtocol = authenticationProtocol
        self.serverName = serverName
        self.domain = domain
        self.username = username
        self.roamingIdentity = roamingIdentity
        self.activeInS0 = activeInS0
        self.pxeTimeout = pxeTimeout
        self.wiredInterface = wiredInterface
        self.tenantId = tenantId
        self.version = version
        self.hasPassword = false
    }
}
