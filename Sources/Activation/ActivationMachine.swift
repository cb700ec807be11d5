import Foundation
import WSMan

/// The activation of one device as an explicit state machine: a pure value that turns AMT's
/// replies into the next WS-Man request, with no I/O. The host drives it over the websocket
/// (and the tests drive it with canned replies).
///
/// Sequence (shared/reference/rps.md §6.8–6.10): read the digest realm → CCM `Setup` with the HA1 of the new
/// admin password, or ACM (`IPS_HostBasedSetupService` Get for the firmware nonce, the
/// provisioning chain leaf → root, `AdminSetup` with the signed nonces), or a re-key of an
/// already activated device → switch to the admin credentials → store the device (host) →
/// ACM: `SetMEBxPassword` → CIRA: trusted root, `AddMpServer`, the MPS SAP's name, periodic
/// and user-initiated policies linked to it (`MpsType` 2), user-initiated connections on,
/// environment detection with a domain the device is never in → done.
///
/// Unlike RPS, a failed step after activation makes the result an error (the report says
/// which part failed); "success" means every step succeeded.
public struct ActivationMachine: Sendable {
    /// What the driver does next.
    public enum Action: Sendable {
        /// Send this request and feed the reply (or the failure) to ``received(_:)``.
        case call(ActivationStep, WSManRequest)
        /// Store the device with its sealed passwords, then call ``deviceSaved(error:)``.
        case saveDevice
        /// The end: send the report to the client.
        case finish(ActivationOutcome)
    }

    /// One transition: the step just completed (for the log), whether to switch the
    /// connection's digest credentials to `admin` + ``ActivationPlan/adminPassword`` before the
    /// next call, and the next action.
    public struct Transition: Sendable {
        public var completed: ActivationStepResult?
        public var switchToAdminCredentials: Bool
        public var action: Action
        /// Steps decided without a call (linked configs that are not written), logged after `completed`.
        public var skipped: [ActivationStepResult] = []
    }

    /// The plan being executed.
    public let plan: ActivationPlan
    /// The step awaiting a reply (or `.saveDevice` while the host stores the device).
    public private(set) var pending: ActivationStep?
    /// Whether the device's credentials changed (from then on it must be stored).
    public private(set) var activated = false
    public internal(set) var report = ActivationStatusReport()
    var messageCounter = 0
    private var realm = ""
    private var firmwareNonce: [UInt8] = []
    private var chainIndex = 0
    private var mpsName = AMTSetupRequests.firstMPSName
    private var policyLinks: [String] = []
    private var environmentDetection: WSManInstance?
    private var finished = false
    // Network and features (ActivationMachine+Configuration.swift).
    var wirelessPort: WSManInstance?
    var wifiQueue: [WiFiEndpointSettings] = []
    var redirection: WSManInstance?
    var optIn: WSManInstance?
    var kvmSAP: WSManInstance?
    /// Configuration steps that failed (network, Wi-Fi, 802.1x, features): the activation
    /// goes on to CIRA but does not end in success.
    var configurationFailures: [String] = []

    public init(plan: ActivationPlan) {
        self.plan = plan
    }

    /// The first action.
    public mutating func start() -> Transition {
        Transition(completed: nil, switchToAdminCredentials: false,
                   action: call(.readGeneralSettings, AMTSetupRequests.generalSettings(messageID: nextID())))
    }

    /// Feeds the reply to the pending call: an envelope, or why the call failed (timeout,
    /// authentication, fault — as text for the log and the report).
    public mutating func received(_ reply: Result<WSManEnvelope, ActivationCallFailure>) -> Transition {
        guard let step = pending, step != .saveDevice, !finished else {
            return fail(nil, "a reply arrived with no call pending")
        }
        if step.isConfiguration {
            return receivedConfiguration(step, reply)
        }
        switch reply {
        case .failure(let failure):
            return fail(ActivationStepResult(step: step, ok: false, detail: failure.message), nil)
        case .success(let envelope):
            if let fault = envelope.fault {
                return fail(ActivationStepResult(step: step, ok: false, detail: "fault \(fault.subcode ?? fault.code): \(fault.reason)"), nil)
            }
            return advance(after: step, envelope)
        }
    }

    /// Reports the host's attempt to store the device.
    public mutating func deviceSaved(error: String?) -> Transition {
        guard pending == .saveDevice, !finished else { return fail(nil, "deviceSaved without a pending save") }
        if let error {
            return fail(ActivationStepResult(step: .saveDevice, ok: false, detail: error), nil)
        }
        let done = ActivationStepResult(step: .saveDevice, ok: true, detail: "stored with sealed passwords")
        if plan.endsInAdminControl, let mebx = plan.mebxPassword {
            return Transition(completed: done, switchToAdminCredentials: false,
                              action: call(.setMEBxPassword, AMTSetupRequests.setMEBxPassword(mebx, messageID: nextID())))
        }
        return startNetwork(completed: done)
    }

    // MARK: transitions

    private mutating func advance(after step: ActivationStep, _ envelope: WSManEnvelope) -> Transition {
        switch step {
        case .readGeneralSettings:
            guard let value = envelope.instance()?.string("DigestRealm"), Self.isValidRealm(value) else {
                return fail(result(step, false, "Not a valid digest realm."), nil)
            }
            realm = value
            let done = result(step, true, "realm \(value)")
            switch plan.kind {
            case .clientControl:
                return next(done, .hostBasedSetup,
                            AMTSetupRequests.setup(realm: realm, adminPassword: plan.adminPassword, messageID: nextID()))
            case .adminControl, .upgradeToAdmin:
                return next(done, .readHostBasedSetup, AMTSetupRequests.hostBasedSetupService(messageID: nextID()))
            case .rekey:
                return next(done, .setAdminACL,
                            AMTSetupRequests.setAdminACLEntryEx(realm: realm, password: plan.adminPassword, messageID: nextID()))
            }
        case .readHostBasedSetup:
            guard let text = envelope.instance()?.string("ConfigurationNonce"), let nonce = Self.base64(text), !nonce.isEmpty else {
                return fail(result(step, false, "no ConfigurationNonce"), nil)
            }
            firmwareNonce = nonce
            return nextCertificate(result(step, true, "firmware nonce read"))
        case .addCertificateInChain:
            guard returnValue(envelope, "AddNextCertInChain") == 0 else {
                return fail(result(step, false, "Error while adding the certificates to AMT: \(returnText(envelope, "AddNextCertInChain"))"), nil)
            }
            chainIndex += 1
            return nextCertificate(result(step, true, "certificate \(chainIndex) added"))
        case .hostBasedSetup, .adminSetup, .setAdminACL:
            let method = step == .hostBasedSetup ? "Setup" : step == .adminSetup ? "AdminSetup" : "SetAdminACLEntryEx"
            guard returnValue(envelope, method) == 0 else {
                return fail(result(step, false, "\(method) returned \(returnText(envelope, method))"), nil)
            }
            activated = true
            report.Status = plan.modeText
            pending = .saveDevice
            return Transition(completed: result(step, true, "\(method) ReturnValue 0"), switchToAdminCredentials: true, action: .saveDevice)
        case .upgradeClientToAdmin:
            guard returnValue(envelope, "UpgradeClientToAdmin") == 0 else {
                return fail(result(step, false, "UpgradeClientToAdmin returned \(returnText(envelope, "UpgradeClientToAdmin"))"), nil)
            }
            return next(result(step, true, "ReturnValue 0"), .setAdminACL,
                        AMTSetupRequests.setAdminACLEntryEx(realm: realm, password: plan.adminPassword, messageID: nextID()))
        case .setMEBxPassword:
            guard returnValue(envelope, "SetMEBxPassword") == 0 else {
                return fail(result(step, false, "SetMEBxPassword returned \(returnText(envelope, "SetMEBxPassword"))"), nil)
            }
            return startNetwork(completed: result(step, true, "ReturnValue 0"))
        case .saveDevice, .unprovision, .readClock, .setClock, .writeHostName, .enumerateEthernetPorts, .pullEthernetPorts,
             .putWiredPort, .wiredIEEE8021x, .readWiFiPortService, .putWiFiPortService, .enableWiFiPort, .addWiFiSettings,
             .readRedirection, .readOptIn, .readKVM, .setRedirectionState, .setKVMState, .putRedirection, .putOptIn:
            return fail(nil, "a reply arrived for \(step.rawValue), which this machine does not send")
        case .addTrustedRoot:
            let code = returnValue(envelope, "AddTrustedRootCertificate")
            guard code == 0 || code == 2058 else {
                return fail(result(step, false, "returned \(returnText(envelope, "AddTrustedRootCertificate"))"), nil)
            }
            guard let cira = plan.cira else { return fail(nil, "no CIRA plan") }
            return next(result(step, true, code == 0 ? "ReturnValue 0" : "already trusted"), .addMpServer,
                        AMTSetupRequests.addMpServer(cira.server, messageID: nextID()))
        case .addMpServer:
            guard returnValue(envelope, "AddMpServer") == 0 else {
                return fail(result(step, false, "returned \(returnText(envelope, "AddMpServer"))"), nil)
            }
            return next(result(step, true, "ReturnValue 0"), .enumerateMPS,
                        .enumerate(.amtManagementPresenceRemoteSAP, messageID: nextID()))
        case .enumerateMPS:
            guard let context = envelope.enumerationContext else { return fail(result(step, false, "no EnumerationContext"), nil) }
            return next(result(step, true, "context \(context)"), .pullMPS,
                        .pull(.amtManagementPresenceRemoteSAP, context: context, messageID: nextID()))
        case .pullMPS:
            guard let name = envelope.pullItems.compactMap({ $0.string("Name") }).first else {
                return fail(result(step, false, "no Management Presence Server in AMT"), nil)
            }
            mpsName = name
            return next(result(step, true, name), .addPeriodicPolicy,
                        AMTSetupRequests.addRemoteAccessPolicyRule(.periodic, mpsName: name, messageID: nextID()))
        case .addPeriodicPolicy:
            guard returnValue(envelope, "AddRemoteAccessPolicyRule") == 0 else {
                return fail(result(step, false, "returned \(returnText(envelope, "AddRemoteAccessPolicyRule"))"), nil)
            }
            return next(result(step, true, "ReturnValue 0"), .addUserInitiatedPolicy,
                        AMTSetupRequests.addRemoteAccessPolicyRule(.userInitiated, mpsName: mpsName, messageID: nextID()))
        case .addUserInitiatedPolicy:
            guard returnValue(envelope, "AddRemoteAccessPolicyRule") == 0 else {
                return fail(result(step, false, "returned \(returnText(envelope, "AddRemoteAccessPolicyRule"))"), nil)
            }
            return next(result(step, true, "ReturnValue 0"), .enumeratePolicyLinks,
                        .enumerate(.amtRemoteAccessPolicyAppliesToMPS, messageID: nextID()))
        case .enumeratePolicyLinks:
            guard let context = envelope.enumerationContext else { return fail(result(step, false, "no EnumerationContext"), nil) }
            return next(result(step, true, "context \(context)"), .pullPolicyLinks,
                        .pull(.amtRemoteAccessPolicyAppliesToMPS, context: context, messageID: nextID()))
        case .pullPolicyLinks:
            policyLinks = Self.policyRuleNames(envelope)
            guard !policyLinks.isEmpty else { return fail(result(step, false, "no policy is linked to the MPS"), nil) }
            return nextPolicyLink(result(step, true, policyLinks.joined(separator: ", ")))
        case .putPolicyLink:
            return nextPolicyLink(result(step, true, "MpsType 2, OrderOfAccess 0"))
        case .enableUserInitiated:
            guard returnValue(envelope, "RequestStateChange") == 0 else {
                return fail(result(step, false, "returned \(returnText(envelope, "RequestStateChange"))"), nil)
            }
            return next(result(step, true, "RequestedState 32771"), .readEnvironmentDetection,
                        .get(.amtEnvironmentDetectionSettingData, messageID: nextID()))
        case .readEnvironmentDetection:
            guard let instance = envelope.instance(), let cira = plan.cira else {
                return fail(result(step, false, "no AMT_EnvironmentDetectionSettingData"), nil)
            }
            environmentDetection = instance
            return next(result(step, true, "read"), .writeEnvironmentDetection,
                        AMTSetupRequests.putEnvironmentDetection(instance, detectionStrings: cira.detectionDomains, messageID: nextID()))
        case .writeEnvironmentDetection:
            report.CIRAConnection = "Configured"
            return finish(result(step, true, "DetectionStrings written"), succeeded: configurationFailures.isEmpty)
        }
    }

    private mutating func nextCertificate(_ done: ActivationStepResult) -> Transition {
        let chain: ActivationPlan.ProvisioningChain
        switch plan.kind {
        case .adminControl(let value), .upgradeToAdmin(let value): chain = value
        default: return fail(done, "no provisioning chain")
        }
        if chainIndex < chain.certificates.count {
            let isLeaf = chainIndex == 0
            let isRoot = chainIndex == chain.certificates.count - 1
            return next(done, .addCertificateInChain, AMTSetupRequests.addNextCertInChain(
                certificate: chain.certificates[chainIndex], isLeaf: isLeaf, isRoot: isRoot, messageID: nextID()))
        }
        guard plan.mcNonce.count == 20, let signature = chain.sign(firmwareNonce + plan.mcNonce) else {
            return fail(done, "cannot sign the nonces with the provisioning certificate's key")
        }
        if case .upgradeToAdmin = plan.kind {
            return next(done, .upgradeClientToAdmin, AMTSetupRequests.upgradeClientToAdmin(
                mcNonce: plan.mcNonce, signature: signature, messageID: nextID()))
        }
        return next(done, .adminSetup, AMTSetupRequests.adminSetup(
            realm: realm, adminPassword: plan.adminPassword, mcNonce: plan.mcNonce, signature: signature, messageID: nextID()))
    }

    private mutating func nextPolicyLink(_ done: ActivationStepResult) -> Transition {
        guard !policyLinks.isEmpty else {
            return next(done, .enableUserInitiated, AMTSetupRequests.enableUserInitiatedConnection(messageID: nextID()))
        }
        let rule = policyLinks.removeFirst()
        return next(done, .putPolicyLink,
                    AMTSetupRequests.putPolicyAppliesToMPS(mpsName: mpsName, policyRuleName: rule, messageID: nextID()))
    }

    mutating func startCIRA(completed: ActivationStepResult?, skipped: [ActivationStepResult] = []) -> Transition {
        guard let cira = plan.cira else {
            var transition = finish(completed, succeeded: configurationFailures.isEmpty)
            transition.skipped = skipped
            return transition
        }
        var transition = next(completed, .addTrustedRoot,
                              AMTSetupRequests.addTrustedRootCertificate(cira.rootCertificate, messageID: nextID()))
        transition.skipped = skipped
        return transition
    }

    // MARK: helpers

    mutating func next(_ done: ActivationStepResult?, _ step: ActivationStep, _ request: WSManRequest) -> Transition {
        Transition(completed: done, switchToAdminCredentials: false, action: call(step, request))
    }

    mutating func call(_ step: ActivationStep, _ request: WSManRequest) -> Action {
        pending = step
        return .call(step, request)
    }

    mutating func finish(_ done: ActivationStepResult?, succeeded: Bool) -> Transition {
        finished = true
        pending = nil
        return Transition(completed: done, switchToAdminCredentials: false,
                          action: .finish(ActivationOutcome(succeeded: succeeded, activated: activated, report: report)))
    }

    /// Ends with an error: before activation the mode's failure text, afterwards the mode
    /// reached plus the failed part (`CIRAConnection`).
    private mutating func fail(_ done: ActivationStepResult?, _ why: String?) -> Transition {
        if !activated {
            report.Status = failureText
        } else if let step = done?.step, let text = step.ciraFailureText {
            report.CIRAConnection = text
        } else if let done {
            report.Status = "\(plan.modeText) \(done.step.rawValue) failed: \(done.detail)"
        }
        if let why, done == nil { report.Status = (report.Status.map { $0 + " " } ?? "") + why }
        return finish(done, succeeded: false)
    }

    private var failureText: String {
        switch plan.kind {
        case .clientControl: return "Failed to activate in client control mode."
        case .adminControl: return "Failed to activate in admin control mode."
        case .upgradeToAdmin: return "Failed to upgrade to admin control mode."
        case .rekey: return "Failed to update the AMT admin password."
        }
    }

    mutating func nextID() -> String {
        defer { messageCounter += 1 }
        return String(messageCounter)
    }

    func result(_ step: ActivationStep, _ ok: Bool, _ detail: String) -> ActivationStepResult {
        ActivationStepResult(step: step, ok: ok, detail: detail)
    }

    func returnValue(_ envelope: WSManEnvelope, _ method: String) -> Int? {
        envelope.returnValue(method: method)?.code
    }

    func returnText(_ envelope: WSManEnvelope, _ method: String) -> String {
        envelope.returnValue(method: method).map(\.description) ?? "no ReturnValue"
    }

    /// `Digest:` followed by exactly 32 hex digits (RPS's check).
    public static func isValidRealm(_ realm: String) -> Bool {
        guard realm.hasPrefix("Digest:") else { return false }
        let hex = realm.dropFirst(7)
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }

    static func base64(_ text: String) -> [UInt8]? {
        guard let data = Foundation.Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return nil }
        return Array(data)
    }

    /// The `PolicyRuleName` selector of each pulled link's `PolicySet`.
    static func policyRuleNames(_ envelope: WSManEnvelope) -> [String] {
        let response = envelope.body.child("PullResponse") ?? envelope.body.child("EnumerateResponse")
        let items = response?.child("Items")?.children ?? []
        return items.compactMap { item in
            item.child("PolicySet").flatMap(EndpointReference.init(element:))?
                .selectors.first(where: { $0.name == "PolicyRuleName" })?.value
        }
    }
}

/// How an activation ended.
public struct ActivationOutcome: Sendable, Equatable {
    /// Every step succeeded.
    public var succeeded: Bool
    /// The device's credentials changed (it was stored).
    public var activated: Bool
    /// The status object sent to the client.
    public var report: ActivationStatusReport

    public init(succeeded: Bool, activated: Bool, report: ActivationStatusReport) {
        self.succeeded = succeeded
        self.activated = activated
        self.report = report
    }
}

/// Why a WS-Man call of the activation failed before a usable envelope came back.
public struct ActivationCallFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
