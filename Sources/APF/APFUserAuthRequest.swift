/// The authentication method of a USERAUTH_REQUEST and its method-specific fields.
public enum APFUserAuthMethod: Sendable, Hashable {
    /// `password`: followed on the wire by a zero byte (no password change) and the password
    /// string. A non-zero change flag is rejected by the decoder as malformed.
    case password(String)
    /// `none`: no further fields.
    case none
    /// Any other method name. APF defines no fields for such methods, so nothing follows the name
    /// on the wire (the decoder consumes exactly `13+U+S+M` bytes).
    case other(String)

    /// The method name as written on the wire.
    public var name: String {
        switch self {
        case .password: "password"
        case .none: "none"
        case .other(let name): name
        }
    }
}

/// The body of USERAUTH_REQUEST (type 50): username, service name, method.
public struct APFUserAuthRequest: Sendable, Hashable {
    /// The MPS username configured in AMT (5–16 alphanumerics in practice).
    public var username: String
    /// The service being authenticated for; AMT sends ``APFServiceName/portForwarding``.
    public var serviceName: String
    /// Method and its credential.
    public var method: APFUserAuthMethod

    /// Creates a USERAUTH_REQUEST body.
    public init(username: String, serviceName: String = APFServiceName.portForwarding, method: APFUserAuthMethod) {
        self.username = username
        self.serviceName = serviceName
        self.method = method
    }
}
