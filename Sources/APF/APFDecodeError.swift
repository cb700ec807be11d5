/// A fatal problem in an incoming APF stream. APF has no framing to resynchronise on, so after
/// any of these the connection must be closed; ``APFDecoder`` keeps returning the same error.
public enum APFDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type byte is not an APF message number.
    case unknownMessageType(UInt8)
    /// A length field exceeds its limit (checked as soon as the length is read, so a 4 GB
    /// length fails immediately).
    case fieldTooLong(field: String, length: UInt32, limit: Int)
    /// Appending would make the decoder hold more than ``APFLimits/maxBufferedBytes``.
    case bufferOverflow(bufferedBytes: Int, limit: Int)
    /// A field has a value the protocol does not allow.
    case malformedField(field: String, reason: String)

    /// A user-facing explanation.
    public var message: String {
        switch self {
        case .unknownMessageType(let type):
            "APF protocol error: unknown message type \(type)"
        case .fieldTooLong(let field, let length, let limit):
            "APF protocol error: \(field) length \(length) exceeds the limit of \(limit) bytes"
        case .bufferOverflow(let buffered, let limit):
            "APF protocol error: \(buffered) buffered bytes would exceed the limit of \(limit) bytes"
        case .malformedField(let field, let reason):
            "APF protocol error: malformed \(field): \(reason)"
        }
    }

    /// Same as ``message``.
    public var description: String { message }
}
