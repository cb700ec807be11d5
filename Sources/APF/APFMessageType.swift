/// The one-byte message number that starts every APF message (SSH-derived numbering).
///
/// APF has no framing header: the type byte plus the embedded length fields determine how long a
/// message is. Values outside this table are a fatal protocol error for ``APFDecoder``.
public enum APFMessageType: UInt8, Sendable, Hashable, CaseIterable {
    case disconnect = 1
    case serviceRequest = 5
    case serviceAccept = 6
    case userAuthRequest = 50
    case userAuthFailure = 51
    case userAuthSuccess = 52
    case globalRequest = 80
    case requestSuccess = 81
    case requestFailure = 82
    case channelOpen = 90
    case channelOpenConfirmation = 91
    case channelOpenFailure = 92
    case windowAdjust = 93
    case channelData = 94
    case channelClose = 97
    case protocolVersion = 192
    case keepAliveRequest = 208
    case keepAliveReply = 209
    case keepAliveOptionsRequest = 210
    case keepAliveOptionsReply = 211
}
