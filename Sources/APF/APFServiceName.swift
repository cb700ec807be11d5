/// Well-known service names for SERVICE_REQUEST / SERVICE_ACCEPT and USERAUTH_REQUEST.
public enum APFServiceName {
    /// Requested before user authentication.
    public static let authentication = "auth@amt.intel.com"
    /// Requested after authentication, before the tcpip-forward requests; also the service named
    /// inside USERAUTH_REQUEST.
    public static let portForwarding = "pfwd@amt.intel.com"
}
