import APF

/// Why a channel to a device could not be used. Messages are for people.
public enum CIRAChannelError: Error, Sendable, Equatable, CustomStringConvertible {
    case deviceNotConnected(guid: String)
    case connectionNotReady
    case portNotForwarded(UInt32)
    case tooManyChannels(Int)
    /// The device answered CHANNEL_OPEN_FAILURE (2 and 4 mean AMT is short of resources).
    case openRefused(APFChannelOpenFailureReason)
    case openTimedOut
    /// The channel (or the whole tunnel) closed.
    case closed

    public var description: String {
        switch self {
        case .deviceNotConnected(let guid): "device \(guid) is not connected"
        case .connectionNotReady: "the device's tunnel is not ready for channels yet"
        case .portNotForwarded(let port): "the device does not forward port \(port)"
        case .tooManyChannels(let limit): "the device already has \(limit) open channels"
        case .openRefused(let reason): "the device refused the channel (\(reason))"
        case .openTimedOut: "the device did not answer the channel open in time"
        case .closed: "the channel was closed"
        }
    }

    /// Whether retrying later may succeed (AMT resource pressure: reasons 2 and 4).
    public var isTransient: Bool {
        if case .openRefused(let reason) = self { return reason.rawValue == 2 || reason.rawValue == 4 }
        return false
    }
}

/// The outcome of checking a device's CIRA credentials.
public enum CIRAAuthDecision: Sendable, Equatable {
    case accept
    /// `reason` is logged (never the password) and the device gets USERAUTH_FAILURE.
    case reject(reason: String)
}

/// The credentials a device presented, for `CIRADeviceAuthenticator`.
public struct CIRAAuthRequest: Sendable {
    /// Lower-case GUID from PROTOCOLVERSION.
    public var guid: String
    public var username: String
    /// Never log this.
    public var password: String
    public var remoteAddress: String
}

/// Decides whether a device may open a tunnel (the store's device records or a CIRA config that
/// allows self-registration). Called once per connection, off the event loop.
public protocol CIRADeviceAuthenticator: Sendable {
    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision
}

/// Receives session events (to persist connection status in batches). Called on event loops:
/// must return quickly and never block.
public protocol CIRASessionObserver: Sendable {
    func sessionConnected(_ session: CIRADeviceSession)
    func sessionDisconnected(_ session: CIRADeviceSession, reason: String)
    func sessionSeen(_ session: CIRADeviceSession)
}
