/// The channel type named in CHANNEL_OPEN. Equality compares the wire name, so
/// `.other("direct-tcpip")` equals `.directTCPIP`.
public enum APFChannelType: Sendable, Hashable, CustomStringConvertible {
    /// `forwarded-tcpip`: a connection to a port the device forwarded (what a server opens).
    case forwardedTCPIP
    /// `direct-tcpip`.
    case directTCPIP
    /// Any other name.
    case other(String)

    /// Maps a wire name to its case.
    public init(name: String) {
        switch name {
        case "forwarded-tcpip": self = .forwardedTCPIP
        case "direct-tcpip": self = .directTCPIP
        default: self = .other(name)
        }
    }

    /// The name written on the wire.
    public var name: String {
        switch self {
        case .forwardedTCPIP: "forwarded-tcpip"
        case .directTCPIP: "direct-tcpip"
        case .other(let name): name
        }
    }

    /// Same as ``name``.
    public var description: String { name }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// The body of CHANNEL_OPEN (type 90). The same layout is used for every channel type:
/// type name, sender channel, initial window, maximum packet (reserved, `0xffffffff`),
/// connected address/port, originator address/port (`33+N+T+S` bytes in total).
public struct APFChannelOpen: Sendable, Hashable {
    /// The channel type.
    public var channelType: APFChannelType
    /// The opener's own id for the channel; the peer addresses messages to it.
    public var senderChannel: UInt32
    /// Bytes the peer may send before it needs a WINDOW_ADJUST.
    public var initialWindowSize: UInt32
    /// SSH "maximum packet size"; APF senders write `0xffffffff` and receivers ignore it.
    public var maximumPacketSize: UInt32
    /// Target address ("connected address"); the MPS sends an empty string.
    public var connectedAddress: String
    /// Target port, e.g. 16992 for WS-Management.
    public var connectedPort: UInt32
    /// Originator address (the MPS sends the dummy `1.2.3.4`).
    public var originatorAddress: String
    /// Originator port.
    public var originatorPort: UInt32

    /// Creates a CHANNEL_OPEN body.
    public init(
        channelType: APFChannelType = .forwardedTCPIP,
        senderChannel: UInt32,
        initialWindowSize: UInt32,
        maximumPacketSize: UInt32 = 0xffff_ffff,
        connectedAddress: String,
        connectedPort: UInt32,
        originatorAddress: String,
        originatorPort: UInt32
    ) {
        self.channelType = channelType
        self.senderChannel = senderChannel
        self.initialWindowSize = initialWindowSize
        self.maximumPacketSize = maximumPacketSize
        self.connectedAddress = connectedAddress
        self.connectedPort = connectedPort
        self.originatorAddress = originatorAddress
        self.originatorPort = originatorPort
    }
}
