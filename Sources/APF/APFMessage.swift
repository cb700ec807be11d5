/// One APF (AMT Port Forwarding) message, in either direction.
///
/// APF reuses SSH message numbers and field layouts but has no packet layer: messages are
/// concatenated on the TLS stream and each one's length follows from its type and embedded
/// length fields. Encode with ``encode(into:)`` / ``encodedBytes``; decode a byte stream with
/// ``APFDecoder``.
///
/// Strings are byte strings on the wire. This module maps them to `String` as Latin-1 (one byte
/// per scalar U+0000…U+00FF), which is lossless for any received bytes; see ``encode(into:)``
/// for the reverse direction. Reserved fields not listed in a case are written as the values the
/// reference prescribes and ignored when decoding.
public enum APFMessage: Sendable, Hashable {
    /// DISCONNECT (1): reason code, then a 2-byte reserved field (written as zero). 7 bytes.
    case disconnect(reason: APFDisconnectReason)
    /// SERVICE_REQUEST (5): a service name, see ``APFServiceName``.
    case serviceRequest(service: String)
    /// SERVICE_ACCEPT (6): echoes the requested service name.
    case serviceAccept(service: String)
    /// USERAUTH_REQUEST (50).
    case userAuthRequest(APFUserAuthRequest)
    /// USERAUTH_FAILURE (51): the name-list of methods that can continue (`"password"`) and the
    /// SSH partial-success byte. 14 bytes for `"password"` (the 1-byte trailer form; the Open
    /// AMT MPS's 15-byte variant with two zero bytes is not produced or accepted).
    case userAuthFailure(methods: String, partialSuccess: Bool)
    /// USERAUTH_SUCCESS (52): the type byte alone.
    case userAuthSuccess
    /// GLOBAL_REQUEST (80): request name, want-reply flag, request-specific fields.
    case globalRequest(APFGlobalRequest, wantReply: Bool)
    /// REQUEST_SUCCESS (81): `port` present (5 bytes) when replying to tcpip-forward, absent
    /// (1 byte) when replying to cancel-tcpip-forward. The two forms cannot be told apart on the
    /// wire; see ``APFDecoder/noteSent(_:)``.
    case requestSuccess(port: UInt32?)
    /// REQUEST_FAILURE (82): the type byte alone.
    case requestFailure
    /// CHANNEL_OPEN (90).
    case channelOpen(APFChannelOpen)
    /// CHANNEL_OPEN_CONFIRMATION (91): 17 bytes. `recipientChannel` is the opener's id,
    /// `senderChannel` the confirmer's own id, `initialWindowSize` the credit granted to the opener.
    case channelOpenConfirmation(
        recipientChannel: UInt32,
        senderChannel: UInt32,
        initialWindowSize: UInt32,
        maximumPacketSize: UInt32 = 0xffff_ffff
    )
    /// CHANNEL_OPEN_FAILURE (92): 17 bytes; the two trailing reserved u32 are written as zero.
    case channelOpenFailure(recipientChannel: UInt32, reason: APFChannelOpenFailureReason)
    /// CHANNEL_WINDOW_ADJUST (93): grants `bytesToAdd` more credit to the receiver of this message's
    /// peer channel. 9 bytes.
    case windowAdjust(recipientChannel: UInt32, bytesToAdd: UInt32)
    /// CHANNEL_DATA (94): payload for the receiver's channel `recipientChannel`.
    case channelData(recipientChannel: UInt32, data: [UInt8])
    /// CHANNEL_CLOSE (97). 5 bytes.
    case channelClose(recipientChannel: UInt32)
    /// PROTOCOLVERSION (192): 93 bytes.
    case protocolVersion(APFProtocolVersion)
    /// KEEPALIVE_REQUEST (208): an opaque cookie the reply echoes. 5 bytes.
    case keepAliveRequest(cookie: UInt32)
    /// KEEPALIVE_REPLY (209). 5 bytes.
    case keepAliveReply(cookie: UInt32)
    /// KEEPALIVE_OPTIONS_REQUEST (210): interval and timeout in seconds. 9 bytes.
    case keepAliveOptionsRequest(interval: UInt32, timeout: UInt32)
    /// KEEPALIVE_OPTIONS_REPLY (211): the values the device will use. 9 bytes.
    case keepAliveOptionsReply(interval: UInt32, timeout: UInt32)

    /// The message number of this message.
    public var messageType: APFMessageType {
        switch self {
        case .disconnect: .disconnect
        case .serviceRequest: .serviceRequest
        case .serviceAccept: .serviceAccept
        case .userAuthRequest: .userAuthRequest
        case .userAuthFailure: .userAuthFailure
        case .userAuthSuccess: .userAuthSuccess
        case .globalRequest: .globalRequest
        case .requestSuccess: .requestSuccess
        case .requestFailure: .requestFailure
        case .channelOpen: .channelOpen
        case .channelOpenConfirmation: .channelOpenConfirmation
        case .channelOpenFailure: .channelOpenFailure
        case .windowAdjust: .windowAdjust
        case .channelData: .channelData
        case .channelClose: .channelClose
        case .protocolVersion: .protocolVersion
        case .keepAliveRequest: .keepAliveRequest
        case .keepAliveReply: .keepAliveReply
        case .keepAliveOptionsRequest: .keepAliveOptionsRequest
        case .keepAliveOptionsReply: .keepAliveOptionsReply
        }
    }
}
