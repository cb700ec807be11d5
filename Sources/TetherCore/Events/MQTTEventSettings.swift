import MQTT
import TetherJSON

/// The `mqtt` configuration key: `{"url":"mqtt://host:1883","topicPrefix"?:"tether/events",
/// "clientId"?,"types"?:["*"],"keepAliveSeconds"?:30,"queue"?:10000,"username"?,"password"?}`.
/// Events are published QoS 1 to `<topicPrefix>/<type>` (e.g. `tether/events/device.connected`).
public struct MQTTEventSettings: Sendable, Equatable {
    public var broker: MQTTSettings
    /// nil: `tether-<instanceName>` at start.
    public var clientID: String?
    public var types: [EventTypePattern]

    public init(broker: MQTTSettings, clientID: String? = nil, types: [EventTypePattern] = [EventTypePattern("*")!]) {
        self.broker = broker
        self.clientID = clientID
        self.types = types
    }

    /// Parses the configuration object; errors name the member.
    public init(json: JSONValue, source: String) throws(ConfigurationError) {
        func bad(_ member: String, _ expected: String) -> ConfigurationError {
            ConfigurationError("\(source): mqtt.\(member) must be \(expected)")
        }
        guard json.objectValue != nil else { throw ConfigurationError("\(source): mqtt must be an object") }
        let known: Set<String> = ["url", "topicPrefix", "clientId", "types", "keepAliveSeconds", "queue", "username", "password"]
        if let unknown = json.objectValue?.keys.first(where: { !known.contains($0) }) {
            throw ConfigurationError("\(source): unknown setting 'mqtt.\(unknown)'")
        }
        guard let url = json["url"]?.stringValue else { throw bad("url", "a string mqtt://host[:port]") }
        var broker: MQTTSettings
        switch MQTTSettings.parse(url: url, clientID: "") {
        case .success(let parsed): broker = parsed
        case .failure(let error): throw bad("url", "mqtt://host[:port]: it \(error.description)")
        }
        if let prefix = json["topicPrefix"] {
            guard let text = prefix.stringValue, !text.isEmpty, text.utf8.count <= 256, !text.contains("+"), !text.contains("#") else {
                throw bad("topicPrefix", "a non-empty topic without wildcards")
            }
            broker.topicPrefix = text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        if let keepAlive = json["keepAliveSeconds"] {
            guard let seconds = keepAlive.intValue, (5...3600).contains(seconds) else { throw bad("keepAliveSeconds", "an integer in 5–3600") }
            broker.keepAliveSeconds = UInt16(seconds)
        }
        if let queue = json["queue"] {
            guard let count = queue.intValue, (1...1_000_000).contains(count) else { throw bad("queue", "an integer in 1–1000000") }
            broker.queueCapacity = count
        }
        if let username = json["username"] {
            guard let text = username.stringValue else { throw bad("username", "a string") }
            broker.username = text
        }
        if let password = json["password"] {
            guard let text = password.stringValue else { throw bad("password", "a string") }
            broker.password = text
        }
        var clientID: String?
        if let id = json["clientId"] {
            guard let text = id.stringValue, !text.isEmpty, text.utf8.count <= 128 else { throw bad("clientId", "a string of 1–128 bytes") }
            clientID = text
        }
        var types = [EventTypePattern("*")!]
        if let list = json["types"] {
            guard let items = list.arrayValue, !items.isEmpty, let patterns = EventTypePattern.list(items.compactMap(\.stringValue)),
                patterns.count == items.count
            else { throw bad("types", "a non-empty array of event type patterns") }
            types = patterns
        }
        self.init(broker: broker, clientID: clientID, types: types)
    }
}
