import TetherJSON

/// A failed command, as every caller (CLI, plugin, front end) sees it. `code` is stable and
/// machine-readable; `message` is for people and never contains secrets.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case notFound = "not_found"
        case badRequest = "bad_request"
        case unsupported = "unsupported"
        case conflict = "conflict"
        case timeout = "timeout"
        case cancelled = "cancelled"
        case unavailable = "unavailable"
        case unauthorized = "unauthorized"
        case pluginFailure = "plugin_failure"
        case deviceFailure = "device_failure"
        case `internal` = "internal"
    }

    public var code: Code
    public var message: String
    /// Optional structured detail (e.g. field errors).
    public var detail: JSONValue?

    public init(_ code: Code, _ message: String, detail: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The JSON error body: `{"error": message, "code": code, "detail": …}`.
    public var json: JSONValue {
        var body: [String: JSONValue] = ["error": .string(message), "code": .string(code.rawValue)]
        if let detail { body["detail"] = detail }
        return .object(body)
    }

    /// Reads an error body produced by `json` (or by a plugin following the ABI convention).
    public init(json: JSONValue, fallback: Code) {
        let code = json["code"]?.stringValue.flatMap(Code.init(rawValue:)) ?? fallback
        let message = json["error"]?.stringValue ?? json["message"]?.stringValue ?? "unspecified error"
        self.init(code, message, detail: json["detail"])
    }
}
