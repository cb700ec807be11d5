@_exported import TetherJSON

/// What a Swift plugin implements. One instance is created per host `create` call.
///
/// `handle` runs as a Swift task on the host's shared cooperative pool: never block in it
/// (await instead), and move CPU-heavy work to a thread of your own. Cancellation from the
/// host (`cancel`, or `destroy` draining) arrives as task cancellation.
public protocol TetherPlugin: AnyObject, Sendable {
    /// Creates the instance. `config` is the plugin's configuration object (`{}` when none).
    /// Throwing refuses the load; the host lists the plugin as failed.
    init(host: PluginHostConnection, config: JSONValue) throws

    /// Manifests of the contributions, keyed by extension id (`tether.commands/1`, …).
    var extensions: [String: JSONValue] { get }

    /// Answers one request (`{"op": …}`; see the ABI header). Throw `PluginError` to fail with
    /// a status and a message; any other error becomes a generic failure.
    func handle(_ request: JSONValue) async throws -> JSONValue
}

/// Static facts about a plugin, placed in its descriptor.
public struct PluginInfo: Sendable {
    public var id: String
    public var name: String
    public var version: String

    public init(id: String, name: String, version: String) {
        self.id = id
        self.name = name
        self.version = version
    }
}

/// A failure a plugin reports to the host: becomes `{"error": message, "code": code}` with the
/// ABI status.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    public var status: Int32
    public var code: String
    public var message: String
    public var detail: JSONValue?

    public init(status: Int32, code: String, message: String, detail: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
    }

    public static func badRequest(_ message: String, detail: JSONValue? = nil) -> PluginError {
        PluginError(status: -2, code: "bad_request", message: message, detail: detail)
    }

    public static func unsupported(_ message: String) -> PluginError {
        PluginError(status: -3, code: "unsupported", message: message)
    }

    public static func failure(_ message: String, code: String = "plugin_failure", detail: JSONValue? = nil) -> PluginError {
        PluginError(status: -1, code: code, message: message, detail: detail)
    }

    public var description: String { "\(code): \(message)" }

    var body: JSONValue {
        var object: [String: JSONValue] = ["error": .string(message), "code": .string(code)]
        if let detail { object["detail"] = detail }
        return .object(object)
    }
}

/// A failed host command as seen by a plugin (`submit` completed with an error status).
public struct HostCommandError: Error, Sendable, CustomStringConvertible {
    public var status: Int32
    /// The host's machine-readable code (`not_found`, `timeout`, …).
    public var code: String
    public var message: String
    public var detail: JSONValue?

    public var description: String { "\(code): \(message)" }

    /// This error as a `PluginError`, to pass it on to the plugin's own caller unchanged.
    public var asPluginError: PluginError {
        PluginError(status: status, code: code, message: message, detail: detail)
    }
}
