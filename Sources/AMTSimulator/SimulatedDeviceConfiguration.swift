import APF
import TetherTLS

/// How a simulated device reaches its management server and how it misbehaves.
public struct SimulatedDeviceConfiguration: Sendable {
    /// The device UUID (PROTOCOLVERSION); the server sees its GUID form.
    public var uuid: AMTUUID
    public var serverHost: String
    public var serverPort: Int
    /// MPS credentials configured in the device (from the CIRA config).
    public var username: String
    public var password: String
    /// Ports announced with tcpip-forward, in AMT's order (5900 last).
    public var forwardedPorts: [UInt32] = [16993, 16992, 664, 623, 16995, 16994, 5900]
    public var tls: DeviceTLSOptions = DeviceTLSOptions()
    /// Source address to bind (spread a fleet over 127.0.0.0/8); nil = any.
    public var sourceAddress: String?
    /// Reconnect after a failure or a drop (with exponential backoff, capped).
    public var reconnect = true
    public var initialBackoff: Duration = .milliseconds(250)
    public var maximumBackoff: Duration = .seconds(30)
    public var faults = DeviceFaults()

    public init(uuid: AMTUUID, serverHost: String, serverPort: Int, username: String, password: String) {
        self.uuid = uuid
        self.serverHost = serverHost
        self.serverPort = serverPort
        self.username = username
        self.password = password
    }
}

/// TLS as a device offers it. Like AMT, the server certificate is checked against the MPS root
/// certificate from the CIRA config and the configured common name.
public struct DeviceTLSOptions: Sendable {
    /// PEM of the MPS root certificate; nil with `insecure` for quick demos.
    public var trustedRootPEM: String?
    /// The name the server certificate must carry (the CIRA config's CN / server address).
    public var commonName: String?
    public var insecure = false
    public var minimumVersion: TLSVersion = .tls1_2
    public var maximumVersion: TLSVersion?
    /// OpenSSL cipher list offered (TLS ≤ 1.2); nil = the legacy profile's list.
    public var cipherList: String?

    public init() {}
}

/// Misbehaviour to inject (tests, chaos runs). All off by default.
public struct DeviceFaults: Sendable {
    /// Drop the TCP connection this long after the tunnel is established.
    public var dropConnectionAfter: Duration?
    /// Never send keep-alives (the server's idle timeout should close the tunnel).
    public var stopKeepAlives = false
    /// Send this many garbage bytes once established (an APF protocol error).
    public var sendMalformedAPF = false
    /// Present a wrong MPS password.
    public var wrongPassword = false
    /// Refuse channel opens with this reason (2 or 4: AMT resource pressure).
    public var refuseChannels: APFChannelOpenFailureReason?
    /// Refuse only the first N channel opens (then accept); nil = refuse all when set.
    public var refuseFirstChannels: Int?
    /// Never answer the server's KEEPALIVE_REQUEST (a silent, half-dead tunnel).
    public var ignoreKeepAliveRequests = false

    public init() {}
}
