import TetherJSON
import WSMan

/// A step of a multi-call operation that the device refused (non-zero `ReturnValue`).
/// JSON: `{"step", "returnValue", "returnValueName"}`.
public struct AMTStepRefusal: AMTResult, Equatable, CustomStringConvertible {
    /// `Class.Method` (or `Class Put`).
    public var step: String
    public var returnValue: ReturnValue

    public init(step: String, returnValue: ReturnValue) {
        self.step = step
        self.returnValue = returnValue
    }

    public var description: String { "\(step) returned \(returnValue.code) \(returnValue.name)" }

    private enum CodingKeys: String, CodingKey { case step, returnValue, returnValueName }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(returnValue.code, forKey: .returnValue)
        try container.encode(returnValue.name, forKey: .returnValueName)
    }
}

/// The redirection features (shared/reference/mps-api.md §2.3.2): `AMT_RedirectionService`, `IPS_OptInService`,
/// `CIM_KVMRedirectionSAP`.
extension AMTDeviceClient {
    /// The requested user-consent policy values of `IPS_OptInService.OptInRequired`.
    public static let optInRequired: [String: Int] = ["none": 0, "kvm": 1, "all": 4_294_967_295]

    /// What `features()` reads, for `setFeatures` to change.
    public struct FeatureState: Sendable {
        public var redirection: WSManInstance
        public var optIn: WSManInstance
        /// nil when the device has no KVM (no `CIM_KVMRedirectionSAP` instance).
        public var kvm: WSManInstance?
    }

    /// Reads the three instances (a device without KVM answers the SAP Get with a fault).
    public func featureState() async throws(AMTError) -> FeatureState {
        let (_, redirection) = try await get(.amtRedirectionService)
        let (_, optIn) = try await get(.ipsOptInService)
        var kvm: WSManInstance?
        do {
            kvm = try await get(.cimKVMRedirectionSAP).1
        } catch .fault, .malformedReply {
            kvm = nil
        }
        return FeatureState(redirection: redirection, optIn: optIn, kvm: kvm)
    }

    /// The redirection features and the consent policy.
    public func features() async throws(AMTError) -> AMTFeatures {
        Self.features(of: try await featureState())
    }

    static func features(of state: FeatureState) -> AMTFeatures {
        let enabled = state.redirection.int("EnabledState") ?? 0
        let required = state.optIn.int("OptInRequired") ?? -1
        let consent = optInRequired.first { $0.value == required }?.key ?? "unknown"
        let kvmState = state.kvm?.int("EnabledState")
        return AMTFeatures(
            userConsent: consent, redirection: state.redirection.bool("ListenerEnabled") ?? false,
            kvm: kvmState == 2 || kvmState == 6, sol: enabled & 2 != 0, ider: enabled & 1 != 0,
            optInState: state.optIn.int("OptInState") ?? 0, kvmAvailable: state.kvm != nil)
    }

    /// Sets the features, with every step's result checked (Open AMT's MPS ignores them):
    /// `AMT_RedirectionService.RequestStateChange(32768 + IDER + 2·SOL)`, then (with KVM)
    /// `CIM_KVMRedirectionSAP.RequestStateChange(2|3)`, then Put `AMT_RedirectionService` with
    /// `ListenerEnabled`, then Put `IPS_OptInService` when the consent policy changes. Stops at
    /// the first refusal and returns it (nil = all applied).
    /// - Throws: ``AMTError/invalidArgument(_:)`` for KVM on a device without KVM, or an unknown consent value.
    public func setFeatures(userConsent: String, sol: Bool, ider: Bool, kvm: Bool) async throws(AMTError) -> AMTStepRefusal? {
        guard let required = Self.optInRequired[userConsent.lowercased()] else {
            throw .invalidArgument("userConsent must be one of kvm, all, none")
        }
        let state = try await featureState()
        if kvm, state.kvm == nil { throw .invalidArgument("the device has no KVM (no CIM_KVMRedirectionSAP), so KVM cannot be enabled") }
        let requestedState = 32768 + (ider ? 1 : 0) + (sol ? 2 : 0)
        let (_, redirectionResult) = try await invoke(
            .invoke(.amtRedirectionService, method: "RequestStateChange",
                    parameters: [("RequestedState", String(requestedState))], messageID: nextMessageID()),
            method: "RequestStateChange")
        if !redirectionResult.isSuccess {
            return AMTStepRefusal(step: "AMT_RedirectionService.RequestStateChange", returnValue: redirectionResult)
        }
        if state.kvm != nil {
            let (_, kvmResult) = try await invoke(
                .invoke(.cimKVMRedirectionSAP, method: "RequestStateChange",
                        parameters: [("RequestedState", kvm ? "2" : "3")], messageID: nextMessageID()),
                method: "RequestStateChange")
            if !kvmResult.isSuccess {
                return AMTStepRefusal(step: "CIM_KVMRedirectionSAP.RequestStateChange", returnValue: kvmResult)
            }
        }
        var redirection = state.redirection
        redirection["EnabledState"] = .text(String(requestedState))
        redirection["ListenerEnabled"] = .text((sol || ider || kvm) ? "true" : "false")
        let putReply = try await call(.put(.amtRedirectionService, instance: redirection, messageID: nextMessageID()))
        _ = try Self.instance("AMT_RedirectionService", in: putReply)
        if state.optIn.int("OptInRequired") != required {
            var optIn = state.optIn
            optIn["OptInRequired"] = .text(String(required))
            let reply = try await call(.put(.ipsOptInService, instance: optIn, messageID: nextMessageID()))
            _ = try Self.instance("IPS_OptInService", in: reply)
        }
        return nil
    }
}

extension WSManResource {
    /// `AMT_RedirectionService` (SOL, IDER and the redirection listener).
    public static let amtRedirectionService = WSManResource(.amt, "AMT_RedirectionService")
    /// `CIM_KVMRedirectionSAP`.
    public static let cimKVMRedirectionSAP = WSManResource(.cim, "CIM_KVMRedirectionSAP")
    /// `AMT_AlarmClockService`.
    public static let amtAlarmClockService = WSManResource(.amt, "AMT_AlarmClockService")
    /// `IPS_AlarmClockOccurrence`.
    public static let ipsAlarmClockOccurrence = WSManResource(.ips, "IPS_AlarmClockOccurrence")
    /// `AMT_AuditLog`.
    public static let amtAuditLog = WSManResource(.amt, "AMT_AuditLog")
    /// `AMT_MessageLog` (the event log).
    public static let amtMessageLog = WSManResource(.amt, "AMT_MessageLog")
}
