import TetherJSON

/// The host's protective limits and exposure switches (README "Security" lists each with its
/// configuration key). Defaults are safe for a host on a private network.
public struct SecuritySettings: Sendable, Equatable {
    /// Serve plain HTTP at all; false = HTTPS only (`httpEnabled`).
    public var httpEnabled = true
    /// Address of the HTTPS listener; nil = `httpBind` (`httpsBind`).
    public var httpsBind: String?
    /// Serve `GET /metrics` on its own listener at `metricsBind:metricsPort` instead of on the
    /// front-end listeners (`metricsPort`, 0 = any free port; `metricsBind`, default 127.0.0.1).
    public var metricsPort: Int?
    public var metricsBind = "127.0.0.1"
    /// On the front-end listeners, `/metrics` needs a valid bearer token (`metricsRequireToken`).
    public var metricsRequireToken = false
    /// A connection must deliver a complete request head within this time of opening or of its
    /// previous response; idle keep-alive connections close then too (`httpHeaderTimeoutSeconds`).
    public var httpHeaderTimeout: Duration = .seconds(10)
    /// A request body must arrive completely within this time of its head (`httpBodyTimeoutSeconds`).
    public var httpBodyTimeout: Duration = .seconds(30)
    /// Open connections per listener; more are closed at once (`httpMaxConnections`).
    public var httpMaxConnections = 512
    /// Largest body of a request that carries no valid token, on a route that needs none
    /// (e.g. login); larger → 413 (`httpUnauthenticatedBodyBytes`).
    public var unauthenticatedBodyBytes = 4096
    /// When not empty, requests whose `Host` (without port) is not listed get 421
    /// (`allowedHosts`; protects against DNS rebinding).
    public var allowedHosts: [String] = []
    /// Failed logins allowed per source address, and in total, within `loginWindow`; beyond,
    /// logins are refused (429 + Retry-After) until the window slides
    /// (`loginMaxFailuresPerSource`, `loginMaxFailures`, `loginWindowSeconds`).
    public var loginMaxFailuresPerSource = 10
    public var loginMaxFailures = 100
    public var loginWindow: Duration = .seconds(60)
    /// Devices one self-registration CIRA config may register in total, and per minute
    /// (`selfRegistrationQuota`, `selfRegistrationsPerMinute`).
    public var selfRegistrationQuota = 1000
    public var selfRegistrationsPerMinute = 30

    public init() {}

    /// The configuration keys this type reads.
    static let keys: Set<String> = [
        "httpEnabled", "httpsBind", "metricsPort", "metricsBind", "metricsRequireToken", "httpHeaderTimeoutSeconds",
        "httpBodyTimeoutSeconds", "httpMaxConnections", "httpUnauthenticatedBodyBytes", "allowedHosts",
        "loginMaxFailuresPerSource", "loginMaxFailures", "loginWindowSeconds", "selfRegistrationQuota",
        "selfRegistrationsPerMinute",
    ]

    /// Applies one configuration key (one of `keys`).
    mutating func apply(key: String, value: JSONValue, source: String) throws(ConfigurationError) {
        func bad(_ expected: String) -> ConfigurationError { ConfigurationError("\(source): '\(key)' must be \(expected)") }
        func seconds(_ range: ClosedRange<Double>) throws(ConfigurationError) -> Duration {
            guard let seconds = value.doubleValue, seconds > 0, range.contains(seconds) else {
                throw bad("a number of seconds in (0, \(Int(range.upperBound))]")
            }
            return .milliseconds(Int64(seconds * 1000))
        }
        func count(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let number = value.intValue, range.contains(number) else { throw bad("an integer \(range.lowerBound)–\(range.upperBound)") }
            return number
        }
        func flag() throws(ConfigurationError) -> Bool {
            guard let flag = value.boolValue else { throw bad("true or false") }
            return flag
        }
        switch key {
        case "httpEnabled": httpEnabled = try flag()
        case "httpsBind":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("an address to bind") }
            httpsBind = text
        case "metricsPort": metricsPort = try count(0...65535)
        case "metricsBind":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("an address to bind") }
            metricsBind = text
        case "metricsRequireToken": metricsRequireToken = try flag()
        case "httpHeaderTimeoutSeconds": httpHeaderTimeout = try seconds(0...3600)
        case "httpBodyTimeoutSeconds": httpBodyTimeout = try seconds(0...3600)
        case "httpMaxConnections": httpMaxConnections = try count(1...1_000_000)
        case "httpUnauthenticatedBodyBytes": unauthenticatedBodyBytes = try count(256...(1 << 20))
        case "allowedHosts":
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
                throw bad("an array of host names")
            }
            allowedHosts = items.map { $0.lowercased() }
        case "loginMaxFailuresPerSource": loginMaxFailuresPerSource = try count(1...1_000_000)
        case "loginMaxFailures": loginMaxFailures = try count(1...1_000_000)
        case "loginWindowSeconds": loginWindow = try seconds(0...86400)
        case "selfRegistrationQuota": selfRegistrationQuota = try count(0...10_000_000)
        case "selfRegistrationsPerMinute": selfRegistrationsPerMinute = try count(0...1_000_000)
        default: throw ConfigurationError("\(source): unknown setting '\(key)'")
        }
    }
}
