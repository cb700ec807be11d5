/// The reason code in CHANNEL_OPEN_FAILURE (the SSH values 1–4).
///
/// Real AMT firmware answers 2 or 4 when it runs out of sockets. Equality and hashing compare
/// the numeric code, so `.unknown(3)` equals `.unknownChannelType`.
public enum APFChannelOpenFailureReason: Sendable, Hashable, CustomStringConvertible {
    case administrativelyProhibited
    case connectFailed
    case unknownChannelType
    case resourceShortage
    /// Any code other than 1–4.
    case unknown(UInt32)

    /// Maps a wire code to its case; other codes become ``unknown(_:)``.
    public init(rawValue: UInt32) {
        switch rawValue {
        case 1: self = .administrativelyProhibited
        case 2: self = .connectFailed
        case 3: self = .unknownChannelType
        case 4: self = .resourceShortage
        default: self = .unknown(rawValue)
        }
    }

    /// The u32 written on the wire.
    public var rawValue: UInt32 {
        switch self {
        case .administrativelyProhibited: 1
        case .connectFailed: 2
        case .unknownChannelType: 3
        case .resourceShortage: 4
        case .unknown(let code): code
        }
    }

    /// The SSH name of the code, e.g. `CONNECT_FAILED`, or `UNKNOWN(<n>)`.
    public var description: String {
        switch rawValue {
        case 1: "ADMINISTRATIVELY_PROHIBITED"
        case 2: "CONNECT_FAILED"
        case 3: "UNKNOWN_CHANNEL_TYPE"
        case 4: "RESOURCE_SHORTAGE"
        default: "UNKNOWN(\(rawValue))"
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
