/// The network activation writes after the device is activated and stored, before the
/// features and CIRA (shared/reference/rps.md §6.9 step 2). Built by the host from the profile
/// and its linked wireless and 802.1x configs.
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
