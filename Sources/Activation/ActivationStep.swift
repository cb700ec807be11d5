/// The steps of an activation, in order; each is one WS-Man round trip unless noted. Names are
/// stable (they appear in the step log, the REST API and tests).
public enum ActivationStep: String, Sendable, Equatable, CaseIterable, Codable {
    case readGeneralSettings = "general-settings"
    case readHostBasedSetup = "host-based-setup-service"
    case addCertificateInChain = "add-next-cert-in-chain"
    case hostBasedSetup = "setup"
    case adminSetup = "admin-setup"
    /// CCM → ACM: `IPS_HostBasedSetupService.UpgradeClientToAdmin` with the signed nonces.
    case upgradeClientToAdmin = "upgrade-client-to-admin"
    case setAdminACL = "set-admin-acl-entry"
    case setMEBxPassword = "set-mebx-password"
    /// Host side: the device and its sealed passwords are stored (no AMT call).
    case saveDevice = "save-device"
    case addTrustedRoot = "add-trusted-root-certificate"
    case addMpServer = "add-mp-server"
    case enumerateMPS = "enumerate-management-presence-sap"
    case pullMPS = "pull-management-presence-sap"
    case addPeriodicPolicy = "add-periodic-policy"
    case addUserInitiatedPolicy = "add-user-initiated-policy"
    case enumeratePolicyLinks = "enumerate-policy-applies-to-mps"
    case pullPolicyLinks = "pull-policy-applies-to-mps"
    case putPolicyLink = "put-policy-applies-to-mps"
    case enableUserInitiated = "enable-user-initiated-connection"
    case readEnvironmentDetection = "get-environment-detection"
    case writeEnvironmentDetection = "put-environment-detection"
    /// Network: `AMT_EthernetPortSettings` Enumerate (also maintenance `syncip`).
    case enumerateEthernetPorts = "enumerate-ethernet-port-settings"
    /// Network: `AMT_EthernetPortSettings` Pull.
    case pullEthernetPorts = "pull-ethernet-port-settings"
    /// Network: the wired port's `AMT_EthernetPortSettings` Put (DHCP / IP sync; `syncip`: the address).
    case putWiredPort = "put-ethernet-port-settings"
    /// Network: the profile's wired 802.1x config (not written: always a failed step).
    case wiredIEEE8021x = "ieee8021x-wired"
    /// Wi-Fi: `AMT_WiFiPortConfigurationService` Get.
    case readWiFiPortService = "get-wifi-port-configuration-service"
    /// Wi-Fi: `AMT_WiFiPortConfigurationService` Put (`localProfileSynchronizationEnabled`).
    case putWiFiPortService = "put-wifi-port-configuration-service"
    /// Wi-Fi: `CIM_WiFiPort.RequestStateChange(32769)`.
    case enableWiFiPort = "wifi-port-request-state-change"
    /// Wi-Fi: one `AddWiFiSettings` per linked config, in priority order (802.1x ones: a failed step).
    case addWiFiSettings = "add-wifi-settings"
    /// Features: `AMT_RedirectionService` Get.
    case readRedirection = "get-redirection-service"
    /// Features: `IPS_OptInService` Get.
    case readOptIn = "get-opt-in-service"
    /// Features: `CIM_KVMRedirectionSAP` Get (a fault = no KVM).
    case readKVM = "get-kvm-redirection-sap"
    /// Features: `AMT_RedirectionService.RequestStateChange` (IDER/SOL), when it changes.
    case setRedirectionState = "redirection-request-state-change"
    /// Features: `CIM_KVMRedirectionSAP.RequestStateChange`, when it changes.
    case setKVMState = "kvm-request-state-change"
    /// Features: `AMT_RedirectionService` Put (`ListenerEnabled`), when it changes.
    case putRedirection = "put-redirection-service"
    /// Features: `IPS_OptInService` Put (`OptInRequired`), when the consent policy changes.
    case putOptIn = "put-opt-in-service"
    /// Deactivation: `AMT_SetupAndConfigurationService.Unprovision`.
    case unprovision = "unprovision"
    /// Maintenance (clock): `AMT_TimeSynchronizationService.GetLowAccuracyTimeSynch`.
    case readClock = "get-low-accuracy-time-synch"
    /// Maintenance (clock): `SetHighAccuracyTimeSynch`.
    case setClock = "set-high-accuracy-time-synch"
    /// Maintenance (host name): `AMT_GeneralSettings` Put.
    case writeHostName = "put-general-settings"

    /// The `CIRAConnection` text when this step fails (RPS's wording), `nil` for activation steps.
    var ciraFailureText: String? {
        switch self {
        case .addTrustedRoot: return "Failed to add trusted root certificate"
        case .addMpServer: return "Failed to add mps"
        case .enumerateMPS: return "Failed to enumerate Management Presence Remote SAP"
        case .pullMPS: return "Failed to Pull Management Presence Remote SAP"
        case .addPeriodicPolicy: return "Failed to add remote policy access rule"
        case .addUserInitiatedPolicy: return "Failed to add User Initiated remote policy access rule"
        case .enumeratePolicyLinks: return "Failed to enumerate remote access policy rule"
        case .pullPolicyLinks: return "Failed to pull AMT_RemoteAccessPolicyAppliesToMPS"
        case .putPolicyLink: return "Failed to put AMT_RemoteAccessPolicyAppliesToMPS"
        case .enableUserInitiated: return "Failed to set user initiated connection service"
        case .readEnvironmentDetection: return "Failed to get environment detection settings"
        case .writeEnvironmentDetection: return "Failed to set environment detection settings"
        default: return nil
        }
    }
}

/// The result of one step, as the step log keeps it (never with a secret).
public struct ActivationStepResult: Sendable, Equatable, Codable {
    public var step: ActivationStep
    public var ok: Bool
    /// What the device answered (`ReturnValue 0`, a fault, a timeout …).
    public var detail: String

    public init(step: ActivationStep, ok: Bool, detail: String) {
        self.step = step
        self.ok = ok
        self.detail = detail
    }
}
