import Activation
import Foundation
import WSMan

extension FirmwareProvisioning {
    /// HA1 per user the firmware accepts now: the local account before activation, `admin`
    /// afterwards.
    func passwordDigests(realm: String) -> [String: String] {
        if controlMode == 0 {
            return [localAccount: AMTPasswordDigest.hex(username: localAccount, realm: realm, password: localPassword)]
        }
        return adminPasswordDigest.map { ["admin": $0] } ?? [:]
    }
}

/// Host-based setup, the CIRA configuration classes, deactivation and the admin ACL of a
/// device that started unprovisioned. Returns `nil` for calls it does not own (the normal
/// dispatch answers those).
extension FirmwareEngine {
    /// Classes a pre-provisioning device lets the local account use.
    static let setupClasses: Set<String> = ["AMT_GeneralSettings", "IPS_HostBasedSetupService", "CIM_SoftwareIdentity"]

    mutating func performProvisioning(
        method: String, action: String, resource: WSManResource, envelope: WSManEnvelope, call: inout FirmwareCall
    ) -> Outcome? {
        guard var setup = provisioning else { return nil }
        let className = resource.className
        if setup.controlMode == 0, !Self.setupClasses.contains(className) {
            return .fault(WSManFault(code: "a:Sender", subcode: "b:AccessDenied",
                                     reason: "The sender was not authorized to access the resource.",
                                     action: WSManAction.addressingFault))
        }
        func input(_ name: String) -> String? {
            envelope.body.child("\(method)_INPUT")?.child(name)?.trimmedText
        }
        defer { provisioning = setup }
        switch (className, method) {
        case ("IPS_HostBasedSetupService", "Get"):
            return .instance(FirmwareInstance(.ips, className, [
                ("AllowedControlModes", .list(["2", "1"])), ("CertChainStatus", .text("0")),
                ("ConfigurationNonce", .text(Data(setup.configurationNonce).base64EncodedString())),
                ("CreationClassName", .text(className)), ("CurrentControlMode", .text(String(setup.controlMode))),
                ("ElementName", .text("Intel(r) AMT Host Based Setup Service")),
                ("Name", .text("Intel(r) AMT Host Based Setup Service")),
                ("SystemCreationClassName", .text("CIM_ComputerSystem")), ("SystemName", .text("Intel(r) AMT")),
            ]))
        case ("IPS_HostBasedSetupService", "Setup"):
            guard setup.controlMode == 0, input("NetAdminPassEncryptionType") == "2",
                  let digest = input("NetworkAdminPassword"), Self.isHexDigest(digest)
            else { return .output(returnValue: 1) }
            setup.adminPasswordDigest = digest.lowercased()
            setup.controlMode = 1
            call.inputs["NetAdminPassEncryptionType"] = "2"
            return .output(returnValue: 0)
        case ("IPS_HostBasedSetupService", "AddNextCertInChain"):
            guard setup.controlMode != 2, let certificate = input("NextCertificate"), !certificate.isEmpty else {
                return .output(returnValue: 1)
            }
            if input("IsLeafCertificate") == "true" { setup.provisioningChain = [] }
            setup.provisioningChain.append(certificate)
            return .output(returnValue: 0)
        case ("IPS_HostBasedSetupService", "AdminSetup"):
            guard setup.controlMode == 0, let digest = input("NetworkAdminPassword"), Self.isHexDigest(digest),
                  let nonce = input("McNonce").flatMap({ Data(base64Encoded: $0) }), nonce.count == 20,
                  let signature = input("DigitalSignature").flatMap({ Data(base64Encoded: $0) })
            else { return .output(returnValue: 1) }
            let signed = setup.configurationNonce + Array(nonce)
            guard ProvisioningVerifier.verify(
                chain: setup.provisioningChain, trustedHashes: setup.certHashes, dnsSuffix: setup.dnsSuffix,
                signed: signed, signature: Array(signature))
            else { return .output(returnValue: 2054) }
            setup.adminPasswordDigest = digest.lowercased()
            setup.controlMode = 2
            return .output(returnValue: 0)
        case ("IPS_HostBasedSetupService", "UpgradeClientToAdmin"):
            guard setup.controlMode == 1,
                  let nonce = input("McNonce").flatMap({ Data(base64Encoded: $0) }), nonce.count == 20,
                  let signature = input("DigitalSignature").flatMap({ Data(base64Encoded: $0) })
            else { return .output(returnValue: 1) }
            guard ProvisioningVerifier.verify(
                chain: setup.provisioningChain, trustedHashes: setup.certHashes, dnsSuffix: setup.dnsSuffix,
                signed: setup.configurationNonce + Array(nonce), signature: Array(signature))
            else { return .output(returnValue: 2054) }
            setup.controlMode = 2
            return .output(returnValue: 0)
        case ("AMT_SetupAndConfigurationService", "SetMEBxPassword"):
            guard setup.controlMode == 2, let password = input("Password"), !password.isEmpty else { return .output(returnValue: 1) }
            setup.mebxPassword = password
            return .output(returnValue: 0)
        case ("AMT_SetupAndConfigurationService", "Unprovision"):
            setup.unprovision()
            return .output(returnValue: 0)
        case ("AMT_AuthorizationService", "SetAdminACLEntryEx"):
            guard input("Username") == "admin", let raw = input("DigestPassword").flatMap({ Data(base64Encoded: $0) }),
                  raw.count == 16
            else { return .output(returnValue: 1) }
            setup.adminPasswordDigest = raw.map { String(format: "%02x", $0) }.joined()
            return .output(returnValue: 0)
        case ("AMT_PublicKeyManagementService", "AddTrustedRootCertificate"):
            guard let blob = input("CertificateBlob"), Data(base64Encoded: blob) != nil else { return .output(returnValue: 1) }
            if setup.trustedRoots.contains(blob) { return .output(returnValue: 2058) }
            setup.trustedRoots.append(blob)
            return .output(returnValue: 0)
        case ("AMT_RemoteAccessService", "AddMpServer"):
            guard let address = input("AccessInfo"), let format = input("InfoFormat").flatMap(Int.init),
                  let port = input("Port").flatMap(Int.init), let auth = input("AuthMethod").flatMap(Int.init),
                  let username = input("Username"), let password = input("Password")
            else { return .output(returnValue: 1) }
            let name = "Intel(r) AMT:Management Presence Server \(setup.mpServers.count)"
            setup.mpServers.append(FirmwareProvisioning.MPSEntry(name: name, settings: MPSServerSettings(
                address: address, addressFormat: format, port: port, authMethod: auth, username: username,
                password: password, commonName: input("CN"))))
            call.inputs["AccessInfo"] = address
            return .output(returnValue: 0)
        case ("AMT_RemoteAccessService", "AddRemoteAccessPolicyRule"):
            let mps = envelope.body.child("\(method)_INPUT")?.child("MpServer").flatMap(EndpointReference.init(element:))
            guard let trigger = input("Trigger").flatMap(Int.init), let lifetime = input("TunnelLifeTime").flatMap(Int.init),
                  let mpsName = mps?.selectors.first(where: { $0.name == "Name" })?.value,
                  setup.mpServers.contains(where: { $0.name == mpsName })
            else { return .output(returnValue: 1) }
            let name = trigger == 2 ? "Periodic" : trigger == 0 ? "User Initiated" : "Alert"
            setup.policies.removeAll { $0.name == name }
            setup.policies.append(FirmwareProvisioning.PolicyRule(
                name: name, trigger: trigger, tunnelLifeTime: lifetime, mpsName: mpsName, mpsType: nil))
            return .output(returnValue: 0)
        case ("AMT_ManagementPresenceRemoteSAP", "Enumerate"), ("AMT_RemoteAccessPolicyAppliesToMPS", "Enumerate"):
            let items = className == "AMT_ManagementPresenceRemoteSAP"
                ? setup.mpServers.map(Self.mpsInstance) : setup.policies.map(Self.policyLinkInstance)
            return enumerate(className, items: items, envelope: envelope)
        case ("AMT_ManagementPresenceRemoteSAP", "Pull"), ("AMT_RemoteAccessPolicyAppliesToMPS", "Pull"):
            return pull(envelope, className: className, call: &call)
        case ("AMT_RemoteAccessPolicyAppliesToMPS", "Put"):
            let body = envelope.body.child(className)
            let rule = body?.child("PolicySet").flatMap(EndpointReference.init(element:))?
                .selectors.first(where: { $0.name == "PolicyRuleName" })?.value
            guard let rule, let index = setup.policies.firstIndex(where: { $0.name == rule }),
                  let type = body?.child("MpsType")?.trimmedText, let mpsType = Int(type)
            else {
                return .fault(WSManFault(code: "a:Sender", subcode: "c:InvalidSelectors",
                                         reason: "The selectors for the resource are not valid.", action: WSManAction.wsmanFault))
            }
            setup.policies[index].mpsType = mpsType
            return .instance(Self.policyLinkInstance(setup.policies[index]))
        case ("AMT_UserInitiatedConnectionService", "RequestStateChange"):
            guard let state = input("RequestedState").flatMap(Int.init), (32768...32771).contains(state) else {
                return .output(returnValue: 1)
            }
            setup.userInitiatedState = state
            return .output(returnValue: 0)
        case ("AMT_TimeSynchronizationService", "GetLowAccuracyTimeSynch"):
            return .instance(FirmwareInstance(.amt, "GetLowAccuracyTimeSynch_OUTPUT", [
                ("Ta0", .text(String(Int(Date().timeIntervalSince1970)))), ("ReturnValue", .text("0")),
            ]))
        case ("AMT_TimeSynchronizationService", "SetHighAccuracyTimeSynch"):
            let values = ["Ta0", "Tm1", "Tm2"].compactMap { input($0).flatMap(Int.init) }
            guard values.count == 3 else { return .output(returnValue: 1) }
            setup.clockSync = values
            return .output(returnValue: 0)
        case ("AMT_GeneralSettings", "Put"):
            guard let name = envelope.body.child(className)?.child("HostName")?.trimmedText, !name.isEmpty else {
                return .fault(WSManFault(code: "a:Sender", subcode: "c:InvalidRepresentation",
                                         reason: "The XML content is invalid.", action: WSManAction.wsmanFault))
            }
            setup.hostName = name
            return .instance(FirmwareInstance(.amt, className, [("HostName", .text(name))]))
        case ("AMT_EnvironmentDetectionSettingData", "Get"):
            return .instance(Self.environmentDetection(setup.detectionStrings))
        case ("AMT_EnvironmentDetectionSettingData", "Put"):
            let body = envelope.body.child(className)
            setup.detectionStrings = body?.children(named: "DetectionStrings").map(\.trimmedText) ?? []
            return .instance(Self.environmentDetection(setup.detectionStrings))
        default:
            return nil
        }
    }

    static func isHexDigest(_ text: String) -> Bool {
        text.count == 32 && text.allSatisfy(\.isHexDigit)
    }

    static func mpsInstance(_ entry: FirmwareProvisioning.MPSEntry) -> FirmwareInstance {
        FirmwareInstance(.amt, "AMT_ManagementPresenceRemoteSAP", [
            ("AccessInfo", .text(entry.settings.address)), ("CN", .text(entry.settings.commonName ?? "")),
            ("CreationClassName", .text("AMT_ManagementPresenceRemoteSAP")), ("ElementName", .text("Intel(r) AMT:Management Presence Server")),
            ("InfoFormat", .text(String(entry.settings.addressFormat))), ("Name", .text(entry.name)),
            ("Port", .text(String(entry.settings.port))), ("SystemCreationClassName", .text("CIM_ComputerSystem")),
            ("SystemName", .text("Intel(r) AMT")),
        ])
    }

    static func policyLinkInstance(_ rule: FirmwareProvisioning.PolicyRule) -> FirmwareInstance {
        FirmwareInstance(.amt, "AMT_RemoteAccessPolicyAppliesToMPS", [
            ("ManagedElement", FirmwareInstance.endpointReference("AMT_ManagementPresenceRemoteSAP", schema: .amt, [
                ("CreationClassName", "AMT_ManagementPresenceRemoteSAP"), ("Name", rule.mpsName),
                ("SystemCreationClassName", "CIM_ComputerSystem"), ("SystemName", "Intel(r) AMT"),
            ])),
            ("MpsType", .text(String(rule.mpsType ?? 0))), ("OrderOfAccess", .text("0")),
            ("PolicySet", FirmwareInstance.endpointReference("AMT_RemoteAccessPolicyRule", schema: .amt, [
                ("CreationClassName", "AMT_RemoteAccessPolicyRule"), ("PolicyRuleName", rule.name),
                ("SystemCreationClassName", "CIM_ComputerSystem"), ("SystemName", "Intel(r) AMT"),
            ])),
        ])
    }

    static func environmentDetection(_ strings: [String]) -> FirmwareInstance {
        var properties: [(String, FirmwareInstance.Value)] = [
            ("ElementName", .text("Intel(r) AMT Environment Detection Settings")),
            ("InstanceID", .text("Intel(r) AMT Environment Detection Settings")),
        ]
        if !strings.isEmpty { properties.append(("DetectionStrings", .list(strings))) }
        return FirmwareInstance(.amt, "AMT_EnvironmentDetectionSettingData", properties)
    }
}
