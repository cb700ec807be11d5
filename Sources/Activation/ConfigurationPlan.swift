import WSMan

/// What activation writes after the device is activated and stored, before CIRA
/// (shared/reference/rps.md §6.9 steps 2–3): the network and the redirection features.
/// Built by the host from the profile and its linked wireless and 802.1x configs.
public struct NetworkPlan: Sendable {
    /// The profile's `dhcpEnabled`.
    public var dhcpEnabled: Bool
    /// The profile's `ipSyncEnabled` (static only; absent = on).
    public var ipSyncEnabled: Bool?
    /// The Wi-Fi part, when the profile links wireless configs.
    public var wifi: WiFiPlan?
    /// The wired 802.1x config named by the profile that cannot be written, and why.
    public var wiredIEEE8021x: SkippedConfiguration?

    public init(dhcpEnabled: Bool, ipSyncEnabled: Bool? = nil, wifi: WiFiPlan? = nil, wiredIEEE8021x: SkippedConfiguration? = nil) {
        self.dhcpEnabled = dhcpEnabled
        self.ipSyncEnabled = ipSyncEnabled
        self.wifi = wifi
        self.wiredIEEE8021x = wiredIEEE8021x
    }

    /// The wired port's `IpSyncEnabled`: on for DHCP; the profile's choice (default on) for static.
    public var wiredIPSync: Bool { dhcpEnabled ? true : (ipSyncEnabled ?? true) }
}

/// The Wi-Fi profiles to write (`AddWiFiSettings`, lowest priority number first), with the PSK
/// passphrases unsealed only for the requests; never logged.
public struct WiFiPlan: Sendable {
    /// The profile's `localWifiSyncEnabled` (AMT's local profile synchronisation from the OS).
    public var localProfileSync: Bool
    /// PSK profiles, in priority order.
    public var profiles: [WiFiEndpointSettings]
    /// Linked configs that cannot be written (802.1x Wi-Fi needs a client certificate).
    public var skipped: [SkippedConfiguration]

    public init(localProfileSync: Bool, profiles: [WiFiEndpointSettings], skipped: [SkippedConfiguration] = []) {
        self.localProfileSync = localProfileSync
        self.profiles = profiles.sorted { $0.priority < $1.priority }
        self.skipped = skipped
    }
}

/// A linked config activation does not write, and why (reported as a failed step).
public struct SkippedConfiguration: Sendable, Equatable {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    /// Why 802.1x configs are not written: AMT needs a client certificate (EAP-TLS) or an
    /// Enterprise Assistant for them, which this host does not provide.
    public static func ieee8021x(_ name: String) -> SkippedConfiguration {
        SkippedConfiguration(
            name: name, reason: "not written: 802.1x needs a client certificate from an enterprise CA, which Tether does not issue")
    }
}
