import WSMan

/// The classes activation and the CIRA configuration touch (shared by the host and the simulator).
extension WSManResource {
    /// `IPS_HostBasedSetupService` (Setup, AdminSetup, AddNextCertInChain, UpgradeClientToAdmin).
    public static let ipsHostBasedSetupService = WSManResource(.ips, "IPS_HostBasedSetupService")
    /// `AMT_PublicKeyManagementService` (AddTrustedRootCertificate).
    public static let amtPublicKeyManagementService = WSManResource(.amt, "AMT_PublicKeyManagementService")
    /// `AMT_PublicKeyCertificate` (the trusted roots added).
    public static let amtPublicKeyCertificate = WSManResource(.amt, "AMT_PublicKeyCertificate")
    /// `AMT_RemoteAccessService` (AddMpServer, AddRemoteAccessPolicyRule).
    public static let amtRemoteAccessService = WSManResource(.amt, "AMT_RemoteAccessService")
    /// `AMT_ManagementPresenceRemoteSAP` (the MPS entries).
    public static let amtManagementPresenceRemoteSAP = WSManResource(.amt, "AMT_ManagementPresenceRemoteSAP")
    /// `AMT_RemoteAccessPolicyRule`.
    public static let amtRemoteAccessPolicyRule = WSManResource(.amt, "AMT_RemoteAccessPolicyRule")
    /// `AMT_RemoteAccessPolicyAppliesToMPS` (policy ↔ MPS links).
    public static let amtRemoteAccessPolicyAppliesToMPS = WSManResource(.amt, "AMT_RemoteAccessPolicyAppliesToMPS")
    /// `AMT_UserInitiatedConnectionService`.
    public static let amtUserInitiatedConnectionService = WSManResource(.amt, "AMT_UserInitiatedConnectionService")
    /// `AMT_EnvironmentDetectionSettingData`.
    public static let amtEnvironmentDetectionSettingData = WSManResource(.amt, "AMT_EnvironmentDetectionSettingData")
    /// `AMT_AuthorizationService` (SetAdminACLEntryEx).
    public static let amtAuthorizationService = WSManResource(.amt, "AMT_AuthorizationService")
    /// `AMT_TimeSynchronizationService`.
    public static let amtTimeSynchronizationService = WSManResource(.amt, "AMT_TimeSynchronizationService")
}
