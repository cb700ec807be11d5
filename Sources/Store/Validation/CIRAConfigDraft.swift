/// Unvalidated CIRA config input as a client sent it (every field optional).
/// Integers are already decoded; type errors (a string where a number belongs) are the caller's
/// JSON layer's to report.
public struct CIRAConfigDraft: Sendable, Equatable {
    public var configName: String?
    public var mpsServerAddress: String?
    public var serverAddressFormat: Int?
    public var mpsPort: Int?
    public var username: String?
    public var password: String?
    public var commonName: String?
    public var authMethod: Int?
    public var mpsRootCertificate: String?
    public var proxyDetails: String?

    public init(
        configName: String? = nil, mpsServerAddress: String? = nil, serverAddressFormat: Int? = nil,
        mpsPort: Int? = nil, username: String? = nil, password: String? = nil, commonName: String? = nil,
        authMethod: Int? = nil, mpsRootCertificate: String? = nil, proxyDetails: String? = nil
    ) {
        self.configName = configName
        self.mpsServerAddress = mpsServerAddress
        self.serverAddressFormat = serverAddressFormat
        self.mpsPort = mpsPort
        self.username = username
        self.password = password
        self.commonName = commonName
        self.authMethod = authMethod
        self.mpsRootCertificate = mpsRootCertificate
        self.proxyDetails = proxyDetails
    }
}
