/// The redirection features and the user-consent policy of a device (`AMT_RedirectionService`,
/// `CIM_KVMRedirectionSAP`, `IPS_OptInService`, shared/reference/rps.md §6.9 step 3 and
/// mps-api.md §2.3.2) and the requests that write them. Pure values: activation builds its
/// feature steps from them, and any client setting features can use the same builders.
public struct RedirectionFeatures: Sendable, Equatable {
    /// IDE redirection.
    public var ider: Bool
    /// Serial over LAN.
    public var sol: Bool
    /// KVM.
    public var kvm: Bool
    /// `IPS_OptInService.OptInRequired`: ``optInNone``, ``optInKVM`` or ``optInAll``.
    public var optInRequired: Int

    /// No user consent.
    public static let optInNone = 0
    /// Consent for KVM only.
    public static let optInKVM = 1
    /// Consent for every redirection.
    public static let optInAll = 4_294_967_295

    /// `AMT_RedirectionService`.
    public static let redirectionService = WSManResource(.amt, "AMT_RedirectionService")
    /// `CIM_KVMRedirectionSAP`.
    public static let kvmService = WSManResource(.cim, "CIM_KVMRedirectionSAP")
    /// `IPS_OptInService`.
    public static let optInService = WSManResource.ipsOptInService

    public init(ider: Bool, sol: Bool, kvm: Bool, optInRequired: Int) {
        self.ider = ider
        self.sol = sol
        self.kvm = kvm
        self.optInRequired = optInRequired
    }

    /// What the device has now: `EnabledState` 32768 + 1 (IDER) + 2 (SOL), the KVM SAP enabled
    /// (2, or 6 enabled but offline; `kvm` nil = no KVM), `OptInRequired` (missing = all).
    public init(redirection: WSManInstance, kvm: WSManInstance?, optIn: WSManInstance) {
        let state = redirection.int("EnabledState") ?? 32768
        let bits = (32768...32771).contains(state) ? state - 32768 : 0
        let kvmState = kvm?.int("EnabledState")
        self.init(ider: bits & 1 != 0, sol: bits & 2 != 0, kvm: kvmState == 2 || kvmState == 6,
                  optInRequired: optIn.int("OptInRequired") ?? Self.optInAll)
    }

    /// `AMT_RedirectionService.EnabledState`: 32768 none, 32769 IDER, 32770 SOL, 32771 both.
    public var redirectionEnabledState: Int { 32768 + (ider ? 1 : 0) + (sol ? 2 : 0) }
    /// `AMT_RedirectionService.ListenerEnabled`: on when any redirection is.
    public var listenerEnabled: Bool { ider || sol || kvm }
    /// `CIM_KVMRedirectionSAP` requested state: 2 enabled, 3 disabled.
    public var kvmRequestedState: Int { kvm ? 2 : 3 }

    /// `AMT_RedirectionService.RequestStateChange(EnabledState)`.
    public func redirectionStateChange(messageID: String) -> WSManRequest {
        .invoke(Self.redirectionService, method: "RequestStateChange",
                parameters: [("RequestedState", String(redirectionEnabledState))], messageID: messageID)
    }

    /// `CIM_KVMRedirectionSAP.RequestStateChange(2|3)`.
    public func kvmStateChange(messageID: String) -> WSManRequest {
        .invoke(Self.kvmService, method: "RequestStateChange",
                parameters: [("RequestedState", String(kvmRequestedState))], messageID: messageID)
    }

    /// `AMT_RedirectionService` Put of `current` with this `EnabledState` and `ListenerEnabled`.
    public func putRedirection(_ current: WSManInstance, messageID: String) -> WSManRequest {
        var instance = current
        instance["EnabledState"] = .text(String(redirectionEnabledState))
        instance["ListenerEnabled"] = .text(listenerEnabled ? "true" : "false")
        return .put(Self.redirectionService, instance: instance, messageID: messageID)
    }

    /// `IPS_OptInService` Put of `current` with this `OptInRequired`.
    public func putOptIn(_ current: WSManInstance, messageID: String) -> WSManRequest {
        var instance = current
        instance["OptInRequired"] = .text(String(optInRequired))
        return .put(Self.optInService, instance: instance, messageID: messageID)
    }
}
