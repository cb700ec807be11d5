import Activation
import Store
import WSMan

extension RedirectionFeatures {
    /// The profile's features (shared/reference/rps.md §2.2, §6.9 step 3): IDER, SOL and KVM
    /// with RPS's create defaults (off, off, on) when absent; user consent None 0, KVM 1,
    /// All 4294967295, absent = All.
    init(profile: Profile) {
        let required: Int
        switch profile.userConsent {
        case .none?: required = Self.optInNone
        case .kvm?: required = Self.optInKVM
        case .all?, nil: required = Self.optInAll
        }
        self.init(ider: profile.iderEnabled ?? false, sol: profile.solEnabled ?? false, kvm: profile.kvmEnabled ?? true,
                  optInRequired: required)
    }
}

extension NetworkPlan {
    /// The profile's network (§6.9 step 2): wired DHCP or static with IP sync, the linked Wi-Fi
    /// configs (resolved as `amt.wifi.apply` does), the wired 802.1x config it cannot write.
    static func resolve(_ profile: Profile, store: TetherStore) async throws -> NetworkPlan {
        let wifi = profile.wifiConfigs.isEmpty ? nil : try await WiFiPlan.resolve(profile, tenantId: profile.tenantId, store: store)
        return NetworkPlan(
            dhcpEnabled: profile.dhcpEnabled, ipSyncEnabled: profile.ipSyncEnabled, wifi: wifi,
            wiredIEEE8021x: profile.ieee8021xProfileName.map(SkippedConfiguration.ieee8021x))
    }
}
