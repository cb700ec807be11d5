import CIRA
import WSMan

/// Why an AMT/WS-Man call failed. Every case carries a message for people (`description`);
/// none contains a password.
public enum AMTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No CIRA tunnel from this device is open right now.
    case deviceNotConnected(guid: String)
    /// The device did not announce (tcpip-forward) the port WS-Man needs.
    case portNotForwarded(guid: String, port: UInt32)
    /// Opening a channel failed (after retrying transient refusals).
    case channelUnavailable(guid: String, reason: String)
    /// The store holds no AMT password for the device.
    case noPassword(guid: String)
    /// The device rejected the credentials twice (a fresh challenge was answered).
    case authenticationFailed(guid: String)
    /// The call did not complete before its deadline.
    case timeout(guid: String, action: String, after: Duration)
    /// The reply exceeded the configured size limit.
    case replyTooLarge(limit: Int)
    /// The HTTP framing of the reply was invalid (bad chunk, bad header, truncated message).
    case badHTTP(String)
    /// The device answered with an HTTP status and no usable SOAP body.
    case httpStatus(Int, reason: String)
    /// The body is not a usable WS-Man envelope (malformed or truncated XML, missing element).
    case malformedReply(String)
    /// The device answered with a SOAP fault.
    case fault(WSManFault)
    /// The device closed the channel before answering.
    case connectionClosed(guid: String)
    /// The caller was cancelled.
    case cancelled
    /// An argument is invalid (never sent to the device).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .deviceNotConnected(let guid):
            "device \(guid) is not connected (no CIRA tunnel)"
        case .portNotForwarded(let guid, let port):
            "device \(guid) does not forward port \(port) (WS-Man) through its CIRA tunnel"
        case .channelUnavailable(let guid, let reason): "cannot open a channel to device \(guid): \(reason)"
        case .noPassword(let guid): "no AMT password is stored for device \(guid)"
        case .authenticationFailed(let guid):
            "device \(guid) rejected the AMT credentials (wrong AMT password for user admin)"
        case .timeout(let guid, let action, let after):
            "device \(guid) did not answer \(Self.shortAction(action)) within \(after)"
        case .replyTooLarge(let limit): "the device's reply exceeds the \(limit)-byte limit"
        case .badHTTP(let reason): "the device's HTTP reply is invalid: \(reason)"
        case .httpStatus(let status, let reason): "the device answered HTTP \(status) \(reason)"
        case .malformedReply(let reason): "the device's WS-Man reply is unusable: \(reason)"
        case .fault(let fault): "the device answered with a \(fault)"
        case .connectionClosed(let guid): "device \(guid) closed the channel before answering"
        case .cancelled: "the call was cancelled"
        case .invalidArgument(let reason): reason
        }
    }

    /// The last path component of an action URI (`RequestPowerStateChange`, `Get`).
    static func shortAction(_ action: String) -> String {
        action.split(separator: "/").last.map(String.init) ?? action
    }

    /// Maps a channel-level failure.
    static func channel(_ error: CIRAChannelError, guid: String, port: UInt32) -> AMTError {
        switch error {
        case .deviceNotConnected: .deviceNotConnected(guid: guid)
        case .portNotForwarded: .portNotForwarded(guid: guid, port: port)
        case .closed: .connectionClosed(guid: guid)
        default: .channelUnavailable(guid: guid, reason: error.description)
        }
    }

    /// Maps an HTTP framing failure.
    static func http(_ error: HTTPParseError) -> AMTError {
        if case .bodyTooLarge(let limit) = error { return .replyTooLarge(limit: limit) }
        return .badHTTP(error.description)
    }
}
