/// The request carried by GLOBAL_REQUEST (type 80), chosen by its request name.
public enum APFGlobalRequest: Sendable, Hashable {
    /// `tcpip-forward`: the device announces a port it forwards (16992, 16993, 623, 664, 16994,
    /// 16995, 5900). `address` is usually the device host name and may be empty.
    case tcpipForward(address: String, port: UInt32)
    /// `cancel-tcpip-forward`: the device withdraws a forwarded port.
    case cancelTCPIPForward(address: String, port: UInt32)
    /// `udp-send-to@amt.intel.com`: a UDP datagram relayed through the tunnel.
    case udpSendTo(APFUDPSendTo)
    /// Any other request name. Because APF has no framing, request-specific bytes after the
    /// want-reply flag cannot be located: the decoder consumes only type, name and want-reply
    /// (`6+R` bytes). A receiver should treat the rest of the stream as unreliable (reply
    /// REQUEST_FAILURE if asked, then close).
    case other(name: String)

    /// Request name for ``tcpipForward(address:port:)``.
    public static let tcpipForwardName = "tcpip-forward"
    /// Request name for ``cancelTCPIPForward(address:port:)``.
    public static let cancelTCPIPForwardName = "cancel-tcpip-forward"
    /// Request name for ``udpSendTo(_:)``.
    public static let udpSendToName = "udp-send-to@amt.intel.com"

    /// The request name as written on the wire.
    public var name: String {
        switch self {
        case .tcpipForward: Self.tcpipForwardName
        case .cancelTCPIPForward: Self.cancelTCPIPForwardName
        case .udpSendTo: Self.udpSendToName
        case .other(let name): name
        }
    }
}

/// The fields of a `udp-send-to@amt.intel.com` global request.
public struct APFUDPSendTo: Sendable, Hashable {
    /// Destination host.
    public var address: String
    /// Destination port.
    public var port: UInt32
    /// Originator address.
    public var originatorAddress: String
    /// Originator port.
    public var originatorPort: UInt32
    /// The UDP payload (bounded by ``APFLimits/maxDataLength`` when decoded).
    public var data: [UInt8]

    /// Creates a udp-send-to body.
    public init(address: String, port: UInt32, originatorAddress: String, originatorPort: UInt32, data: [UInt8]) {
        self.address = address
        self.port = port
        self.originatorAddress = originatorAddress
        self.originatorPort = originatorPort
        self.data = data
    }
}
