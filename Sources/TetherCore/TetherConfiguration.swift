import Foundation
import PluginHost
import TetherJSON

/// Everything the host is configured with. Sources, lowest precedence first: built-in
/// defaults, the JSON config file, `TETHER_*` environment variables, command-line options.
public struct TetherConfiguration: Sendable {
    /// Where the database, keys and certificates live.
    public var dataDirectory: String
    /// Extra plugin directories (every `*.so` in them is loaded).
    public var pluginDirectories: [String]
    /// Load the plugins bundled next to the executable (`libTetherPlugin*.so`).
    public var loadBundledPlugins: Bool
    /// Plugin ids not to instantiate.
    public var disabledPlugins: Set<String>
    /// Plugin id → the JSON object its `create` receives.
    public var pluginConfigs: [String: JSONValue]
    /// Default deadline of a request to a plugin.
    public var pluginTimeout: Duration
    /// swift-log level name (`trace` … `critical`).
    public var logLevel: String
    /// CIRA listener address and port.
    public var ciraBind = "0.0.0.0"
    public var ciraPort = 4433
    /// The name devices expect in the server certificate (IP or FQDN); default: this machine's
    /// primary address.
    public var commonName: String = PrimaryAddress.detect()
    /// Keep-alive interval requested from devices, seconds, and the idle timeout.
    public var keepAliveInterval: UInt32 = 30
    public var idleTimeout: Duration = .seconds(90)
    /// This host's instance name (the MPS `mpsInstance` of connected devices).
    public var instanceName: String = ProcessInfo.processInfo.hostName
    /// Plugin ids in order of precedence when several plugins contribute the same power action.
    public var powerActionPrecedence: [String] = []
    /// Deadline of one WS-Man call to a device (queueing included).
    public var amtCallTimeout: Duration = .seconds(10)
    /// The HTTP listener for front-end plugins (plain HTTP), and the optional HTTPS port (TLS 1.2+,
    /// the host's server certificate). Port 0 picks a free port.
    public var httpBind = "127.0.0.1"
    public var httpPort = 8181
    public var httpsPort: Int?
    /// Front ends to mount, `name:mount` (e.g. `rest:/api/v1`); empty = every front end at the
    /// mount its manifest declares.
    public var frontends: [String] = []
    /// Largest accepted request body (bytes; larger → 413) and the deadline of one request.
    public var httpMaxBodyBytes = 1 << 20
    public var httpRequestTimeout: Duration = .seconds(30)
    /// Limits and exposure switches (README "Security").
    public var security = SecuritySettings()
    /// Publish events to an MQTT broker (`mqtt` key; nil: off).
    public var mqtt: MQTTEventSettings?
    /// The administrator of the front ends' login (`auth.login`), when not from the environment
    /// (`TETHER_ADMIN_USER`/`TETHER_ADMIN_PASSWORD`): config keys `adminUser`, `adminPassword`.
    /// The host's own settings, read by no plugin.
    public var adminUser: String?
    public var adminPassword: String?
    /// Log line format: `text` (swift-log's stream format) or `json` (one JSON object per line).
    public var logFormat: LogFormat = .text
    /// How long a graceful shutdown waits for in-flight HTTP requests and commands to finish.
    public var shutdownDrainTimeout: Duration = .seconds(10)

    public init(
        dataDirectory: String = TetherConfiguration.defaultDataDirectory(),
        pluginDirectories: [String] = [], loadBundledPlugins: Bool = true, disabledPlugins: Set<String> = [],
        pluginConfigs: [String: JSONValue] = [:], pluginTimeout: Duration = .seconds(10), logLevel: String = "info"
    ) {
        self.dataDirectory = dataDirectory
        self.pluginDirectories = pluginDirectories
        self.loadBundledPlugins = loadBundledPlugins
        self.disabledPlugins = disabledPlugins
        self.pluginConfigs = pluginConfigs
        self.pluginTimeout = pluginTimeout
        self.logLevel = logLevel
    }

    /// `$XDG_DATA_HOME/tether`, else `~/.local/share/tether`.
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/tether" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/tether"
    }

    /// The plugin search paths this configuration implies.
    public var pluginSearchPaths: [PluginSearchPath] {
        (loadBundledPlugins ? [PluginSearchPath.bundled()] : []) + pluginDirectories.map { PluginSearchPath(directory: $0) }
    }

    public var pluginSettings: PluginSettings {
        PluginSettings(disabled: disabledPlugins, configs: pluginConfigs)
    }
}

/// A configuration file or variable that could not be used.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension TetherConfiguration {
    /// Applies a JSON config file (see README "Configuration" for the keys).
    public mutating func apply(file path: String) throws(ConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read config file \(path)")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Array(data))
        } catch {
            throw ConfigurationError("config file \(path): \(error.description)")
        }
        guard let object = json.objectValue else { throw ConfigurationError("config file \(path): top level must be an object") }
        for (key, value) in object {
            try apply(key: key, value: value, source: "config file \(path)")
        }
    }

    /// Applies `TETHER_*` environment variables.
    public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        let mapping: [(String, String)] = [
            ("TETHER_DATA_DIR", "dataDir"), ("TETHER_PLUGINS", "pluginDirectories"),
            ("TETHER_BUNDLED_PLUGINS", "bundledPlugins"), ("TETHER_DISABLED_PLUGINS", "disabledPlugins"),
            ("TETHER_PLUGIN_TIMEOUT", "pluginTimeoutSeconds"), ("TETHER_LOG_LEVEL", "logLevel"),
            ("TETHER_CIRA_PORT", "ciraPort"), ("TETHER_CIRA_BIND", "ciraBind"), ("TETHER_COMMON_NAME", "commonName"),
            ("TETHER_KEEPALIVE_INTERVAL", "keepAliveIntervalSeconds"), ("TETHER_IDLE_TIMEOUT", "idleTimeoutSeconds"),
            ("TETHER_INSTANCE_NAME", "instanceName"),
            ("TETHER_HTTP_PORT", "httpPort"), ("TETHER_HTTP_BIND", "httpBind"), ("TETHER_HTTPS_PORT", "httpsPort"),
            ("TETHER_LOG_FORMAT", "logFormat"), ("TETHER_SHUTDOWN_DRAIN", "shutdownDrainSeconds"),
        ]
        for (variable, key) in mapping {
            guard let text = environment[variable], !text.isEmpty else { continue }
            let value: JSONValue
            switch key {
            case "pluginDirectories": value = .array(text.split(separator: ":").map { .string(String($0)) })
            case "disabledPlugins": value = .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            case "bundledPlugins": value = .bool(["1", "true", "yes", "on"].contains(text.lowercased()))
            case "pluginTimeoutSeconds", "ciraPort", "keepAliveIntervalSeconds", "idleTimeoutSeconds", "httpPort", "httpsPort",
                "shutdownDrainSeconds":
                guard let number = Double(text) else { throw ConfigurationError("\(variable) must be a number") }
                value = .double(number)
            default: value = .string(text)
            }
            try apply(key: key, value: value, source: variable)
        }
    }

    private mutating func apply(key: String, value: JSONValue, source: String) throws(ConfigurationError) {
        func bad(_ expected: String) -> ConfigurationError { ConfigurationError("\(source): '\(key)' must be \(expected)") }
        switch key {
        case let key where SecuritySettings.keys.contains(key):
            try security.apply(key: key, value: value, source: source)
        case "dataDir":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("a non-empty string") }
            dataDirectory = text
        case "pluginDirectories":
            guard let items = value.arrayValue?.compactMap(\.stringValue) else { throw bad("an array of strings") }
            pluginDirectories = items
        case "bundledPlugins":
            guard let flag = value.boolValue else { throw bad("true or false") }
            loadBundledPlugins = flag
        case "disabledPlugins":
            guard let items = value.arrayValue?.compactMap(\.stringValue) else { throw bad("an array of plugin ids") }
            disabledPlugins = Set(items)
        case "pluginTimeoutSeconds":
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 3600 else { throw bad("a number of seconds in (0, 3600]") }
            pluginTimeout = .milliseconds(Int64(seconds * 1000))
        case "logLevel":
            guard let level = value.stringValue, ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level)
            else { throw bad("one of trace, debug, info, notice, warning, error, critical") }
            logLevel = level
        case "logFormat":
            guard let format = value.stringValue.flatMap(LogFormat.init(rawValue:)) else { throw bad("\"text\" or \"json\"") }
            logFormat = format
        case "shutdownDrainSeconds":
            guard let seconds = value.doubleValue, seconds >= 0, seconds <= 3600 else { throw bad("a number of seconds in [0, 3600]") }
            shutdownDrainTimeout = .milliseconds(Int64(seconds * 1000))
        case "ciraPort":
            // 0 = any free port (tests, side-by-side hosts), as on the command line.
            guard let port = value.intValue, (0...65535).contains(port) else { throw bad("a port number 0–65535") }
            ciraPort = port
        case "ciraBind":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("an address to bind") }
            ciraBind = text
        case "commonName":
            guard let text = value.stringValue, !text.isEmpty, text.count <= 64 else { throw bad("an IP address or FQDN (≤ 64 characters)") }
            commonName = text
        case "keepAliveIntervalSeconds":
            guard let seconds = value.intValue, (1...3600).contains(seconds) else { throw bad("seconds in 1–3600") }
            keepAliveInterval = UInt32(seconds)
        case "idleTimeoutSeconds":
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 86400 else { throw bad("seconds in (0, 86400]") }
            idleTimeout = .milliseconds(Int64(seconds * 1000))
        case "instanceName":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("a non-empty string") }
            instanceName = text
        case "powerActionPrecedence":
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count
            else { throw bad("an array of plugin ids") }
            powerActionPrecedence = items
        case "amtCallTimeoutSeconds":
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 600 else { throw bad("a number of seconds in (0, 600]") }
            amtCallTimeout = .milliseconds(Int64(seconds * 1000))
        case "httpPort", "httpsPort":
            guard let port = value.intValue, (0...65535).contains(port) else { throw bad("a port number 0–65535") }
            if key == "httpPort" { httpPort = port } else { httpsPort = port }
        case "httpBind":
            guard let text = value.stringValue, !text.isEmpty else { throw bad("an address to bind") }
            httpBind = text
        case "adminUser", "adminPassword":
            guard let text = value.stringValue, !text.isEmpty, text.count <= 256 else { throw bad("a non-empty string") }
            if key == "adminUser" { adminUser = text } else { adminPassword = text }
        case "frontends":
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count,
                items.allSatisfy({ FrontendMount.parse($0) != nil })
            else { throw bad("an array of \"name:/mount\" strings") }
            frontends = items
        case "httpMaxBodyBytes":
            guard let bytes = value.intValue, bytes >= 1024, bytes <= 1 << 30 else { throw bad("a byte count in 1 KiB–1 GiB") }
            httpMaxBodyBytes = bytes
        case "httpRequestTimeoutSeconds":
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 3600 else { throw bad("a number of seconds in (0, 3600]") }
            httpRequestTimeout = .milliseconds(Int64(seconds * 1000))
        case "mqtt":
            mqtt = try MQTTEventSettings(json: value, source: source)
        case "plugins":
            guard let plugins = value.objectValue else { throw bad("an object keyed by plugin id") }
            for (id, settings) in plugins {
                if let config = settings["config"] {
                    guard config.objectValue != nil else { throw ConfigurationError("\(source): plugins.\(id).config must be an object") }
                    pluginConfigs[id] = config
                }
                if let enabled = settings["enabled"] {
                    guard let flag = enabled.boolValue else { throw ConfigurationError("\(source): plugins.\(id).enabled must be true or false") }
                    if flag { disabledPlugins.remove(id) } else { disabledPlugins.insert(id) }
                }
            }
        default:
            throw ConfigurationError("\(source): unknown setting '\(key)'")
        }
    }
}

extension TetherConfiguration {
    /// Checks relations between settings.
    public func validate() throws(ConfigurationError) {
        if idleTimeout < .seconds(Int64(keepAliveInterval) * 3) {
            throw ConfigurationError(
                "idleTimeoutSeconds must be at least 3 × keepAliveIntervalSeconds (\(keepAliveInterval * 3) s), or healthy devices get dropped")
        }
    }
}
