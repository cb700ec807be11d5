/// Tunables of the CIRA server. Defaults follow the reference (and improve on the peer where it
/// notes a bug); every value is configurable.
public struct CIRASettings: Sendable {
    /// Keep-alive interval requested from devices (KEEPALIVE_OPTIONS_REQUEST), seconds.
    public var keepAliveInterval: UInt32 = 30
    /// Keep-alive timeout sent with the options, seconds (0 = device default, like the peer).
    public var keepAliveTimeout: UInt32 = 0
    /// A connection with no traffic for this long is closed. Must be ≥ 3 × keep-alive interval.
    public var idleTimeout: Duration = .seconds(90)
    /// A connection must finish the handshake (through USERAUTH_SUCCESS) within this time.
    public var handshakeTimeout: Duration = .seconds(30)
    /// Receive window the host advertises per channel, bytes.
    public var channelWindow: UInt32 = 32768
    /// When no forward for port 5900 arrives, keep-alive options are sent this long after the
    /// latest forward (the peer never sends them in that case; see shared/reference/apf.md E12).
    public var keepAliveOptionsQuietPeriod: Duration = .milliseconds(500)
    /// Deadline for a device to confirm or refuse a CHANNEL_OPEN.
    public var channelOpenTimeout: Duration = .seconds(10)
    /// Most channels one connection may have open at once.
    public var maxChannelsPerConnection = 32
    /// Most distinct ports a device may forward (AMT forwards 7); more are refused.
    public var maxForwardedPorts = 64
    /// Failed authentications allowed per remote address or GUID within `authFailureWindow`.
    public var maxAuthFailures = 5
    public var authFailureWindow: Duration = .seconds(60)
    /// Connections from one remote address that may be in the handshake at the same time.
    public var maxPendingHandshakesPerAddress = 512
    /// Connections that may be in the handshake (TLS and APF up to authentication) at the same
    /// time in total; more are refused at once, before any cryptography (see
    /// ``CIRAAdmissionControl``). 1,024 handshakes take ≈ 3 s on two cores, far below
    /// `handshakeTimeout`.
    public var maxPendingHandshakes = 1024
    /// When a device authenticates while a tunnel for its GUID is open, the old tunnel is sent a
    /// KEEPALIVE_REQUEST; if it answers within this time it stays and the newcomer is refused
    /// (no takeover of a live tunnel); if not, the newcomer replaces it.
    public var takeoverProbeTimeout: Duration = .seconds(2)

    public init() {}

    /// The keep-alive interval is the floor the idle timeout is checked against.
    public var isValid: Bool { idleTimeout >= .seconds(Int64(keepAliveInterval) * 3) }
}
