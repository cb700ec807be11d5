import WSMan

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
