import Foundation

/// Where and how the MQTT publisher connects: `mqtt://[user[:password]@]host[:1883]`, the
/// topic prefix events go under (`<prefix>/<event type>`), the client id and keep-alive.
public struct MQTTSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    /// A secret: never logged.
    public var password: String?
    public var clientID: String
    public var topicPrefix: String
    public var keepAliveSeconds: UInt16
    /// Messages buffered while the broker is away (older ones are kept, newer ones dropped).
    public var queueCapacity: Int
    /// PUBLISH packets awaiting PUBACK at once.
    public var maxInFlight: Int
    /// Reconnect pauses: first, doubled after each failure, at most `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Deadline of the TCP connect plus CONNACK.
    public var connectTimeout: Duration

    public init(host: String, port: Int = 1883, clientID: String, topicPrefix: String = "tether/events") {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.topicPrefix = topicPrefix
        self.keepAliveSeconds = 30
        self.queueCapacity = 10_000
        self.maxInFlight = 64
        self.initialBackoff = .milliseconds(200)
        self.maxBackoff = .seconds(10)
        self.connectTimeout = .seconds(5)
    }

    /// Parses `mqtt://[user[:password]@]host[:port]` (nil with a reason otherwise).
    public static func parse(url text: String, clientID: String) -> Result<MQTTSettings, MQTTSettingsError> {
        guard let url = URLComponents(string: text), url.scheme?.lowercased() == "mqtt", let host = url.host, !host.isEmpty else {
            return .failure(MQTTSettingsError("must be mqtt://host[:port] (mqtts is not supported)"))
        }
        guard url.path.isEmpty || url.path == "/", url.query == nil else {
            return .failure(MQTTSettingsError("must not have a path or query (the topic prefix is a separate setting)"))
        }
        var settings = MQTTSettings(host: host, port: url.port ?? 1883, clientID: clientID)
        guard (1...65_535).contains(settings.port) else { return .failure(MQTTSettingsError("port must be 1–65535")) }
        settings.username = url.user
        settings.password = url.password
        return .success(settings)
    }
}

public struct MQTTSettingsError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
