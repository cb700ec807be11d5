/// The reason code carried by an APF DISCONNECT message (u32, SSH RFC 4250 numbering plus the
/// AMT-specific codes 16–18).
///
/// Codes not in the table decode to ``unknown(_:)``. Equality and hashing compare the numeric
/// code, so `.unknown(11)` equals `.byApplication`.
public enum APFDisconnectReason: Sendable, Hashable, CustomStringConvertible {
    case hostNotAllowedToConnect
    case protocolError
    case keyExchangeFailed
    case reserved
    case macError
    case compressionError
    case serviceNotAvailable
    case protocolVersionNotSupported
    case hostKeyNotVerifiable
    case connectionLost
    case byApplication
    case tooManyConnections
    case authCancelledByUser
    case noMoreAuthMethodsAvailable
    /// Code 15: "INVALID_CREDENTIALS" in AMT sources, "ILLEGAL_USER_NAME" in SSH.
    case invalidCredentials
    case connectionTimedOut
    case byPolicy
    case temporarilyUnavailable
    /// Any code without a name in the table.
    case unknown(UInt32)

    private static let table: [(UInt32, APFDisconnectReason, String)] = [
        (1, .hostNotAllowedToConnect, "HOST_NOT_ALLOWED_TO_CONNECT"),
        (2, .protocolError, "PROTOCOL_ERROR"),
        (3, .keyExchangeFailed, "KEY_EXCHANGE_FAILED"),
        (4, .reserved, "RESERVED"),
        (5, .macError, "MAC_ERROR"),
        (6, .compressionError, "COMPRESSION_ERROR"),
        (7, .serviceNotAvailable, "SERVICE_NOT_AVAILABLE"),
        (8, .protocolVersionNotSupported, "PROTOCOL_VERSION_NOT_SUPPORTED"),
        (9, .hostKeyNotVerifiable, "HOST_KEY_NOT_VERIFIABLE"),
        (10, .connectionLost, "CONNECTION_LOST"),
        (11, .byApplication, "BY_APPLICATION"),
        (12, .tooManyConnections, "TOO_MANY_CONNECTIONS"),
        (13, .authCancelledByUser, "AUTH_CANCELLED_BY_USER"),
        (14, .noMoreAuthMethodsAvailable, "NO_MORE_AUTH_METHODS_AVAILABLE"),
        (15, .invalidCredentials, "INVALID_CREDENTIALS"),
        (16, .connectionTimedOut, "CONNECTION_TIMED_OUT"),
        (17, .byPolicy, "BY_POLICY"),
        (18, .temporarilyUnavailable, "TEMPORARILY_UNAVAILABLE"),
    ]

    /// Maps a wire code to its case; unnamed codes become ``unknown(_:)``.
    public init(rawValue: UInt32) {
        if rawValue >= 1, Int(rawValue) <= Self.table.count {
            self = Self.table[Int(rawValue) - 1].1
        } else {
            self = .unknown(rawValue)
        }
    }

    /// The u32 written on the wire.
    public var rawValue: UInt32 {
        switch self {
        case .hostNotAllowedToConnect: 1
        case .protocolError: 2
        case .keyExchangeFailed: 3
        case .reserved: 4
        case .macError: 5
        case .compressionError: 6
        case .serviceNotAvailable: 7
        case .protocolVersionNotSupported: 8
        case .hostKeyNotVerifiable: 9
        case .connectionLost: 10
        case .byApplication: 11
        case .tooManyConnections: 12
        case .authCancelledByUser: 13
        case .noMoreAuthMethodsAvailable: 14
        case .invalidCredentials: 15
        case .connectionTimedOut: 16
        case .byPolicy: 17
        case .temporarilyUnavailable: 18
        case .unknown(let code): code
        }
    }

    /// The AMT/MPS name of the code, e.g. `BY_APPLICATION`, or `UNKNOWN(<n>)`.
    public var description: String {
        let code = rawValue
        if code >= 1, Int(code) <= Self.table.count { return Self.table[Int(code) - 1].2 }
        return "UNKNOWN(\(code))"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
