import WSMan

/// Everything the activation state machine needs, decided before the first AMT call: the
/// mode and how to get there, the passwords, and the CIRA configuration to write. Built by the
/// host from the profile (rules from the profile-policy plugin), the domain and the store.
public struct ActivationPlan: Sendable {
    /// How the device reaches the profile's mode.
    public enum Kind: Sendable {
        /// Fresh device → CCM (`Setup`).
        case clientControl
        /// Fresh device → ACM (`AddNextCertInChain`… + `AdminSetup`).
        case adminControl(ProvisioningChain)
        /// Already in the profile's mode: re-key to the profile's password (`SetAdminACLEntryEx`).
        case rekey
        /// In CCM with an ACM profile: the chain, `UpgradeClientToAdmin` with the signed nonces,
        /// then a re-key to the profile's password and the MEBx password.
        case upgradeToAdmin(ProvisioningChain)
    }

    /// A provisioning certificate chain and the signer of its leaf key.
    public struct ProvisioningChain: Sendable {
        /// Base64 DER certificates, leaf first, root last.
        public var certificates: [String]
        /// Signs `firmware nonce ‖ McNonce` with the leaf's key (RSA PKCS#1 v1.5, SHA-256);
        /// `nil` on failure.
        public var sign: @Sendable ([UInt8]) -> [UInt8]?

        public init(certificates: [String], sign: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
            self.certificates = certificates
            self.sign = sign
        }
    }

    public var kind: Kind
    /// The AMT admin password the device gets (the profile's, or a fresh random one).
    public var adminPassword: String
    /// The MEBx password (ACM only).
    public var mebxPassword: String?
    /// The CIRA configuration to write, if the profile links one.
    public var cira: CIRAWritePlan?
    /// 20 random bytes (ACM `McNonce`); the host fills them from a CSPRNG.
    public var mcNonce: [UInt8]
    /// The network to configure after activation (`nil`: leave it as it is).
    public var network: NetworkPlan?
    /// The redirection features and user consent to set after activation (`nil`: leave them).
    public var features: RedirectionFeatures?

    public init(
        kind: Kind, adminPassword: String, mebxPassword: String? = nil, cira: CIRAWritePlan? = nil, mcNonce: [UInt8] = [],
        network: NetworkPlan? = nil, features: RedirectionFeatures? = nil
    ) {
        self.network = network
        self.features = features
        self.kind = kind
        self.adminPassword = adminPassword
        self.mebxPassword = mebxPassword
        self.cira = cira
        self.mcNonce = mcNonce
    }

    /// Whether the device ends in admin control mode (its MEBx password is then set).
    public var endsInAdminControl: Bool {
        switch kind {
        case .adminControl, .upgradeToAdmin: return true
        case .clientControl, .rekey: return false
        }
    }

    /// The mode the plan ends in, as the status text says it.
    public var modeText: String {
        switch kind {
        case .clientControl: return "Client control mode."
        case .adminControl: return "Admin control mode."
        case .rekey: return "Already activated."
        case .upgradeToAdmin: return "Upgraded to admin control mode."
        }
    }
}

/// The CIRA configuration written into AMT after activation (shared/reference/rps.md §6.10).
public struct CIRAWritePlan: Sendable, Equatable {
    /// The MPS root certificate (base64 DER) for `AddTrustedRootCertificate`.
    public var rootCertificate: String
    /// The `AddMpServer` parameters (with the per-device MPS password).
    public var server: MPSServerSettings
    /// `AMT_EnvironmentDetectionSettingData.DetectionStrings`: a domain the device is never in,
    /// so that it always thinks it is outside and keeps the tunnel up.
    public var detectionDomains: [String]

    public init(rootCertificate: String, server: MPSServerSettings, detectionDomains: [String]) {
        self.rootCertificate = rootCertificate
        self.server = server
        self.detectionDomains = detectionDomains
    }
}
