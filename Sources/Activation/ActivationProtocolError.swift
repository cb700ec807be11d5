/// What is wrong with a message an RPC client sent; each case's ``message`` is the text sent
/// back in the `error` reply (RPS's wording where RPS has one).
public enum ActivationProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text frame is not a JSON envelope.
    case malformedMessage(String)
    /// `protocolVersion` is not compatible with ``RPSProtocolVersion/current``.
    case unsupportedProtocolVersion(String)
    /// The payload is not base64 of a JSON object.
    case unparsablePayload(String)
    /// The payload misses `client`, `ver`, `build` or `uuid`.
    case invalidPayload(String)
    /// The method string names no supported operation.
    case unsupportedMethod(uuid: String, method: String)
    /// A message arrived that the current state does not expect (out of order, replayed).
    case unexpectedMessage(String)
    /// The message is over the size limit.
    case tooLarge(limit: Int)

    /// The text of the `error` reply.
    public var message: String {
        switch self {
        case .malformedMessage(let why): return "Error: Failed to parse client message. \(why)"
        case .unsupportedProtocolVersion(let v): return "Error: protocol version NOT supported: \(v)"
        case .unparsablePayload(let why): return "Error: Failed to parse client message payload. \(why)"
        case .invalidPayload(let why): return "Error: Invalid payload from client. \(why)"
        case .unsupportedMethod(let uuid, let method):
            return "Device \(uuid) Not a supported method received from AMT device: \(method)"
        case .unexpectedMessage(let why): return "Error: unexpected message. \(why)"
        case .tooLarge(let limit): return "Error: message larger than \(limit) bytes"
        }
    }

    public var description: String { message }
}
