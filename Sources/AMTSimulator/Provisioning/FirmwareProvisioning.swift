import Activation
import Foundation

/// The setup state of a simulated device that starts unprovisioned (what RPC reads from the
/// ME and what activation writes into it): control mode, the local account that may run
/// host-based setup, the admin password's digest once set, and the CIRA configuration written.
///
/// A value kept inside the firmware's engine (behind its mutex); read a snapshot with
/// ``AMTFirmware/provisioning``.
public struct FirmwareProvisioning: Sendable, Equatable {
    /// One MPS entry (`AddMpServer`).
    public struct MPSEntry: Sendable, Equatable {
        /// `AMT_ManagementPresenceRemoteSAP.Name`.
        public var name: String
        public var settings: MPSServerSettings
    }

    /// One remote access policy (`AddRemoteAccessPolicyRule`).
    public struct PolicyRule: Sendable, Equatable {
        public var name: String
        public var trigger: Int
        public var tunnelLifeTime: Int
        public var mpsName: String
        /// `AMT_RemoteAccessPolicyAppliesToMPS.MpsType` once written (2 = inside and outside).
        public var mpsType: Int?
    }

    /// 0 pre-provisioning, 1 CCM, 2 ACM.
    public var controlMode = 0
    /// The OS-side account allowed to run setup before activation (`$$OsAdmin`).
    public var localAccount = "$$OsAdmin"
    /// Its password (what LMS hands RPC).
    public var localPassword: String
    /// `MD5("admin:<realm>:<password>")` hex, once activated.
    public var adminPasswordDigest: String?
    /// The DNS suffix RPC reports (`fqdn`).
    public var dnsSuffix: String
    /// Hashes of the trusted provisioning roots (lower-case hex SHA-256).
    public var certHashes: [String]
    /// `IPS_HostBasedSetupService.ConfigurationNonce` (20 bytes).
    public var configurationNonce: [UInt8]
    /// Certificates received with `AddNextCertInChain` (base64 DER, leaf first).
    public var provisioningChain: [String] = []
    /// The MEBx password (ACM).
    public var mebxPassword: String?
    /// Trusted roots added (base64 DER).
    public var trustedRoots: [String] = []
    public var mpServers: [MPSEntry] = []
    public var policies: [PolicyRule] = []
    /// `AMT_UserInitiatedConnectionService.EnabledState` (32771 after the CIRA setup).
    public var userInitiatedState = 32768
    /// `AMT_EnvironmentDetectionSettingData.DetectionStrings`.
    public var detectionStrings: [String] = []
    /// The host name written with `AMT_GeneralSettings` Put (maintenance), if any.
    public var hostName: String?
    /// The last `SetHighAccuracyTimeSynch` (`Ta0`, `Tm1`, `Tm2`), if any.
    public var clockSync: [Int]?

    /// An unprovisioned device.
    public init(localPassword: String, dnsSuffix: String = "", certHashes: [String] = []) {
        self.localPassword = localPassword
        self.dnsSuffix = dnsSuffix
        self.certHashes = certHashes
        var generator = SystemRandomNumberGenerator()
        self.configurationNonce = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// What the device dials once configured: the first MPS with a periodic policy linked to it
    /// and the trusted root it must verify the server against; `nil` until that is all written.
    public var ciraTarget: (server: MPSServerSettings, rootCertificate: String)? {
        guard let root = trustedRoots.last,
              let periodic = policies.first(where: { $0.trigger == 2 && $0.mpsType != nil }),
              let server = mpServers.first(where: { $0.name == periodic.mpsName })
        else { return nil }
        return (server.settings, root)
    }

    /// Back to factory state (`Unprovision`): CIRA and credentials gone, a new nonce.
    mutating func unprovision() {
        let fresh = FirmwareProvisioning(localPassword: localPassword, dnsSuffix: dnsSuffix, certHashes: certHashes)
        self = fresh
    }
}
