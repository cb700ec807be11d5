/// One entry of an AMT profile's ordered Wi-Fi list (RPS `wifiConfigs`): a wireless config and
/// its priority (1…255, unique within the profile; lower is tried first).
public struct ProfileWifiLink: Sendable, Equatable, Hashable {
    /// The wireless config's name.
    public var profileName: String
    public var priority: Int

    public init(profileName: String, priority: Int) {
        self.profileName = profileName
        self.priority = priority
    }
}
