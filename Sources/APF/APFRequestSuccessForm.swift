/// Which REQUEST_SUCCESS layout to expect. The wire does not say: a reply to tcpip-forward
/// carries the bound port (5 bytes), a reply to cancel-tcpip-forward does not (1 byte).
public enum APFRequestSuccessForm: Sendable, Hashable {
    /// `51` + u32 port.
    case withPort
    /// `51` alone.
    case bare

    /// The form a reply to `request` takes.
    public init(replyingTo request: APFGlobalRequest) {
        switch request {
        case .tcpipForward: self = .withPort
        case .cancelTCPIPForward, .udpSendTo, .other: self = .bare
        }
    }
}
