/// How AMT interprets `mpsServerAddress` (AMT `InfoFormat`).
public enum ServerAddressFormat: Int, Sendable, Equatable, CaseIterable {
    case ipv4 = 3
    case ipv6 = 4
    case fqdn = 201
}

/// How a device authenticates to the MPS.
public enum CIRAAuthMethod: Int, Sendable, Equatable, CaseIterable {
    case mutualTLS = 1
    case usernamePassword = 2
}

/// A CIRA configuration: which MPS a device phones home to and with what credentials.
///
/// The optional static MPS password is sealed in the store and is not part of this value;
/// `hasStaticPassword` only says whether one is stored. Read it with
/// `CIRAConfigRepository.password(configName:tenantId:)`.
public struct CIRAConfig: Sendable, Equatable {
    public var configName: String
    public var mpsServerAddress: String
    public var serverAddressFormat: ServerAddressFormat
    public var mpsPort: Int
    public var username: String
    public var commonName: String?
    public var authMethod: CIRAAuthMethod
    /// The MPS root CA certificate as base64 DER (no PEM armour).
    public var mpsRootCertificate: String
    public var proxyDetails: String?
    public var tenantId: String
    /// Tether extension: a device with an unknown GUID that presents this config's username and
    /// static password over CIRA is registered automatically. Default false.
    public var allowSelfRegistration: Bool
    /// Optimistic-concurrency token: 1 after create, +1 on every update. Ignored by create.
    public var version: Int
    /// Whether a static MPS password is stored (read-only; ignored on writes).
    public internal(set) var hasStaticPassword: Bool

    public init(
        configName: String, mpsServerAddress: String, serverAddressFormat: ServerAddressFormat,
        mpsPort: Int = 4433, username: String, commonName: String? = nil,
        authMethod: CIRAAuthMethod = .usernamePassword, mpsRootCertificate: String,
        proxyDetails: String? = nil, tenantId: String = "", allowSelfRegistration: Bool = false, version: Int = 0
    ) {
        self.configName = configName
        self.mpsServerAddress = mpsServerAddress
        self.serverAddressFormat = serverAddressFormat
        self.mpsPort = mpsPort
        self.username = username
        self.commonName = commonName
        self.authMethod = authMethod
        self.mpsRootCertificate = mpsRootCertificate
        self.proxyDetails = proxyDetails
        self.tenantId = tenantId
        self.allowSelfRegistration = allowSelfRegistration
        self.version = version
        self.hasStaticPassword = false
    }
}
