import Foundation
import WSMan

/// The WS-Man requests of activation, the CIRA configuration, deactivation and maintenance,
/// with the parameters Open AMT's RPS sends (shared/reference/rps.md §6.8–6.12). Pure builders.
public enum AMTSetupRequests {
    /// The MPS SAP name AMT gives the first (and, after unconfiguration, only) MPS entry.
    public static let firstMPSName = "Intel(r) AMT:Management Presence Server 0"

    /// `AMT_GeneralSettings` Get (the digest realm).
    public static func generalSettings(messageID: String) -> WSManRequest {
        .get(.amtGeneralSettings, messageID: messageID)
    }

    /// `IPS_HostBasedSetupService` Get (current control mode, the firmware nonce).
    public static func hostBasedSetupService(messageID: String) -> WSManRequest {
        .get(.ipsHostBasedSetupService, messageID: messageID)
    }

    /// `IPS_HostBasedSetupService.Setup` (CCM): `NetAdminPassEncryptionType` 2 with the HTTP digest
    /// of the new admin password.
    public static func setup(realm: String, adminPassword: String, messageID: String) -> WSManRequest {
        .invoke(.ipsHostBasedSetupService, method: "Setup", parameters: [
            ("NetAdminPassEncryptionType", "2"),
            ("NetworkAdminPassword", AMTPasswordDigest.hex(username: "admin", realm: realm, password: adminPassword)),
        ], messageID: messageID)
    }

    /// `IPS_HostBasedSetupService.AddNextCertInChain` (ACM), one certificate (base64 DER).
    public static func addNextCertInChain(certificate: String, isLeaf: Bool, isRoot: Bool, messageID: String) -> WSManRequest {
        .invoke(.ipsHostBasedSetupService, method: "AddNextCertInChain", parameters: [
            ("NextCertificate", certificate), ("IsLeafCertificate", isLeaf ? "true" : "false"),
            ("IsRootCertificate", isRoot ? "true" : "false"),
        ], messageID: messageID)
    }

    /// `IPS_HostBasedSetupService.AdminSetup` (ACM) with the signed nonces.
    public static func adminSetup(
        realm: String, adminPassword: String, mcNonce: [UInt8], signature: [UInt8], messageID: String
    ) -> WSManRequest {
        .invoke(.ipsHostBasedSetupService, method: "AdminSetup", parameters: [
            ("NetAdminPassEncryptionType", "2"),
            ("NetworkAdminPassword", AMTPasswordDigest.hex(username: "admin", realm: realm, password: adminPassword)),
            ("McNonce", Data(mcNonce).base64EncodedString()), ("SigningAlgorithm", "2"),
            ("DigitalSignature", Data(signature).base64EncodedString()),
        ], messageID: messageID)
    }

    /// `IPS_HostBasedSetupService.UpgradeClientToAdmin` (CCM → ACM) with the signed nonces; the
    /// admin password is unchanged (re-keyed after with `SetAdminACLEntryEx`).
    public static func upgradeClientToAdmin(mcNonce: [UInt8], signature: [UInt8], messageID: String) -> WSManRequest {
        .invoke(.ipsHostBasedSetupService, method: "UpgradeClientToAdmin", parameters: [
            ("McNonce", Data(mcNonce).base64EncodedString()), ("SigningAlgorithm", "2"),
            ("DigitalSignature", Data(signature).base64EncodedString()),
        ], messageID: messageID)
    }

    /// `AMT_SetupAndConfigurationService.SetMEBxPassword` (ACM).
    public static func setMEBxPassword(_ password: String, messageID: String) -> WSManRequest {
        .invoke(.amtSetupAndConfigurationService, method: "SetMEBxPassword", parameters: [("Password", password)],
                messageID: messageID)
    }

    /// `AMT_SetupAndConfigurationService.Unprovision` (`ProvisioningMode` 1).
    public static func unprovision(messageID: String) -> WSManRequest {
        .invoke(.amtSetupAndConfigurationService, method: "Unprovision", parameters: [("ProvisioningMode", "1")],
                messageID: messageID)
    }

    /// `AMT_AuthorizationService.SetAdminACLEntryEx` (`DigestPassword` = base64 of the raw MD5).
    public static func setAdminACLEntryEx(realm: String, password: String, messageID: String) -> WSManRequest {
        let digest = AMTPasswordDigest.bytes(username: "admin", realm: realm, password: password)
        return .invoke(.amtAuthorizationService, method: "SetAdminACLEntryEx", parameters: [
            ("Username", "admin"), ("DigestPassword", Data(digest).base64EncodedString()),
        ], messageID: messageID)
    }

    /// `AMT_PublicKeyManagementService.AddTrustedRootCertificate` (base64 DER).
    public static func addTrustedRootCertificate(_ derBase64: String, messageID: String) -> WSManRequest {
        .invoke(.amtPublicKeyManagementService, method: "AddTrustedRootCertificate",
                parameters: [("CertificateBlob", derBase64)], messageID: messageID)
    }

    /// `AMT_RemoteAccessService.AddMpServer`; `CN` only when given (RPS sends it for FQDN
    /// configs as the literal "undefined", a bug not kept here).
    public static func addMpServer(_ server: MPSServerSettings, messageID: String) -> WSManRequest {
        var parameters: [(name: String, value: String)] = [
            ("AccessInfo", server.address), ("InfoFormat", String(server.addressFormat)), ("Port", String(server.port)),
            ("AuthMethod", String(server.authMethod)), ("Username", server.username), ("Password", server.password),
        ]
        if let cn = server.commonName, !cn.isEmpty { parameters.append(("CN", cn)) }
        return .invoke(.amtRemoteAccessService, method: "AddMpServer", parameters: parameters, messageID: messageID)
    }

    /// `AMT_RemoteAccessService.AddRemoteAccessPolicyRule` for the MPS SAP `mpsName`.
    /// Periodic: trigger 2, lifetime 0, every 25 s; user initiated: trigger 0, lifetime 300.
    public static func addRemoteAccessPolicyRule(_ rule: RemoteAccessTrigger, mpsName: String, messageID: String) -> WSManRequest {
        let reference = EndpointReference(
            address: WSManNamespace.anonymousRole, resourceURI: WSManResource.amtManagementPresenceRemoteSAP.uri,
            selectors: [WSManSelector(name: "Name", value: mpsName)])
        let input = "<h:Trigger>\(rule.trigger)</h:Trigger><h:TunnelLifeTime>\(rule.tunnelLifeTime)</h:TunnelLifeTime>"
            + "<h:ExtendedData>\(rule.extendedData)</h:ExtendedData><h:MpServer>\(reference.innerXML)</h:MpServer>"
        return .invoke(.amtRemoteAccessService, method: "AddRemoteAccessPolicyRule", inputXML: input, messageID: messageID)
    }

    /// `AMT_RemoteAccessPolicyAppliesToMPS` Put of one link: `MpsType` 2 (inside and outside),
    /// `OrderOfAccess` 0.
    public static func putPolicyAppliesToMPS(mpsName: String, policyRuleName: String, messageID: String) -> WSManRequest {
        let resource = WSManResource.amtRemoteAccessPolicyAppliesToMPS
        let mps = systemReference(.amtManagementPresenceRemoteSAP, key: ("Name", mpsName))
        let policy = systemReference(.amtRemoteAccessPolicyRule, key: ("PolicyRuleName", policyRuleName))
        let body = "<h:\(resource.className) xmlns:h=\"\(resource.uri)\">"
            + "<h:ManagedElement>\(mps.innerXML)</h:ManagedElement><h:MpsType>2</h:MpsType>"
            + "<h:OrderOfAccess>0</h:OrderOfAccess><h:PolicySet>\(policy.innerXML)</h:PolicySet>"
            + "</h:\(resource.className)>"
        return .put(resource, bodyXML: body, messageID: messageID)
    }

    /// A reference to an instance of an AMT system class: its `CreationClassName`, `key`, and
    /// the system's `SystemCreationClassName`/`SystemName` selectors.
    static func systemReference(_ resource: WSManResource, key: (name: String, value: String)) -> EndpointReference {
        EndpointReference(
            address: WSManNamespace.anonymousRole, resourceURI: resource.uri,
            selectors: [
                WSManSelector(name: "CreationClassName", value: resource.className),
                WSManSelector(name: key.name, value: key.value),
                WSManSelector(name: "SystemCreationClassName", value: "CIM_ComputerSystem"),
                WSManSelector(name: "SystemName", value: "Intel(r) AMT"),
            ])
    }

    /// `AMT_UserInitiatedConnectionService.RequestStateChange(32771)` (BIOS and OS enabled).
    public static func enableUserInitiatedConnection(messageID: String) -> WSManRequest {
        .invoke(.amtUserInitiatedConnectionService, method: "RequestStateChange",
                parameters: [("RequestedState", "32771")], messageID: messageID)
    }

    /// `AMT_EnvironmentDetectionSettingData` Put with the given detection domains.
    public static func putEnvironmentDetection(_ current: WSManInstance, detectionStrings: [String], messageID: String) -> WSManRequest {
        var instance = current
        instance["DetectionStrings"] = detectionStrings.count == 1
            ? .text(detectionStrings[0]) : .list(detectionStrings.map(WSManValue.text))
        return .put(.amtEnvironmentDetectionSettingData, instance: instance, messageID: messageID)
    }

    /// `AMT_TimeSynchronizationService.GetLowAccuracyTimeSynch`.
    public static func getLowAccuracyTimeSynch(messageID: String) -> WSManRequest {
        .invoke(.amtTimeSynchronizationService, method: "GetLowAccuracyTimeSynch", messageID: messageID)
    }

    /// `AMT_TimeSynchronizationService.SetHighAccuracyTimeSynch(Ta0, Tm1, Tm2)`.
    public static func setHighAccuracyTimeSynch(ta0: Int, tm1: Int, tm2: Int, messageID: String) -> WSManRequest {
        .invoke(.amtTimeSynchronizationService, method: "SetHighAccuracyTimeSynch", parameters: [
            ("Ta0", String(ta0)), ("Tm1", String(tm1)), ("Tm2", String(tm2)),
        ], messageID: messageID)
    }

    /// `AMT_GeneralSettings` Put with a new `HostName`.
    public static func putHostName(_ current: WSManInstance, hostname: String, messageID: String) -> WSManRequest {
        var instance = current
        instance["HostName"] = .text(hostname)
        return .put(.amtGeneralSettings, instance: instance, messageID: messageID)
    }
}

/// What `AddMpServer` writes (from a CIRA config plus the device's MPS password).
public struct MPSServerSettings: Sendable, Equatable {
    /// `mpsServerAddress`.
    public var address: String
    /// 3 IPv4, 4 IPv6, 201 FQDN.
    public var addressFormat: Int
    public var port: Int
    /// 1 mutual TLS, 2 username/password.
    public var authMethod: Int
    public var username: String
    public var password: String
    /// The name the MPS certificate must carry.
    public var commonName: String?

    public init(address: String, addressFormat: Int, port: Int, authMethod: Int, username: String, password: String, commonName: String?) {
        self.address = address
        self.addressFormat = addressFormat
        self.port = port
        self.authMethod = authMethod
        self.username = username
        self.password = password
        self.commonName = commonName
    }
}

/// The two remote access policies the CIRA configuration adds.
public enum RemoteAccessTrigger: Sendable, Equatable, CaseIterable {
    /// Keep the tunnel open, re-dial every 25 s.
    case periodic
    /// The user (BIOS/OS) asks for a connection.
    case userInitiated

    /// `Trigger`: 2 periodic, 0 user initiated.
    public var trigger: Int { self == .periodic ? 2 : 0 }
    /// `TunnelLifeTime`: 0 (no limit) periodic, 300 s user initiated.
    public var tunnelLifeTime: Int { self == .periodic ? 0 : 300 }
    /// `ExtendedData`: 8 bytes (interval type 0, 25 seconds) for periodic, empty otherwise.
    public var extendedData: String { self == .periodic ? "AAAAAAAAABk=" : "" }
    /// The `PolicyRuleName` AMT gives the rule.
    public var policyRuleName: String { self == .periodic ? "Periodic" : "User Initiated" }
}
