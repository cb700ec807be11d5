/// Why AMT opened the tunnel: the trigger reason field of PROTOCOLVERSION (offset 9).
///
/// These are not the `Trigger` values of `AMT_RemoteAccessPolicyRule`. Equality and hashing
/// compare the numeric code.
public enum APFTriggerReason: Sendable, Hashable, CustomStringConvertible {
    case userInitiated
    case alert
    case provisioning
    case periodic
    /// 254: a local LME/HECI session.
    case lme
    /// Any other code (real CIRA traffic also carries 0).
    case unknown(UInt32)

    /// Maps a wire code to its case; other codes become ``unknown(_:)``.
    public init(rawValue: UInt32) {
        switch rawValue {
        case 1: self = .userInitiated
        case 2: self = .alert
        case 3: self = .provisioning
        case 4: self = .periodic
        case 254: self = .lme
        default: self = .unknown(rawValue)
        }
    }

    /// The u32 written on the wire.
    public var rawValue: UInt32 {
        switch self {
        case .userInitiated: 1
        case .alert: 2
        case .provisioning: 3
        case .periodic: 4
        case .lme: 254
        case .unknown(let code): code
        }
    }

    /// A short name such as `PERIODIC_REQUEST`, or `UNKNOWN(<n>)`.
    public var description: String {
        switch rawValue {
        case 1: "USER_INITIATED_REQUEST"
        case 2: "ALERT_REQUEST"
        case 3: "HIT_PROVISIONING_REQUEST"
        case 4: "PERIODIC_REQUEST"
        case 254: "LME_REQUEST"
        default: "UNKNOWN(\(rawValue))"
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
