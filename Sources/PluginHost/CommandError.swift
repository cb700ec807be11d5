import TetherJSON

/// A failed command, as every caller (CLI, plugin, front end) sees it. `code` is stable and
/// machine-readable, from the closed vocabulary of the ABI header (ERROR VOCABULARY); `message`
/// is for people and never contains secrets; `detail` is neutral structured data (never an HTTP
/// status or a front end's wording: front ends map codes and details to their own dialect).
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The arguments are invalid (validation errors: `detail` = `[{"field","message"}…]`).
        case badRequest = "bad_request"
        /// The named object does not exist.
        case notFound = "not_found"
        /// The request clashes with the current state (`detail.reason`: `duplicate`, `in_use`,
        /// `stale_version`).
        case conflict = "conflict"
        /// The deadline passed.
        case timeout = "timeout"
        /// The device has no CIRA tunnel open right now.
        case notConnected = "not_connected"
        /// The device answered with an error, or an unusable answer.
        case deviceError = "device_error"
        /// Credentials were refused (the caller's, or the device's stored ones).
        case unauthorized = "unauthorized"
        /// A needed component is missing, busy or shutting down; try again later.
        case unavailable = "unavailable"
        /// The caller cancelled the request.
        case cancelled = "cancelled"
        /// A plugin failed or answered badly.
        case pluginFailure = "plugin_failure"
        /// The command, op or extension is not offered.
        case unsupported = "unsupported"
        /// A bug or an unexpected failure inside the host.
        case `internal` = "internal"

        /// The code of ABI 1.0 for `deviceError`.
        @available(*, deprecated, renamed: "deviceError")
        public static var deviceFailure: Code { .deviceError }

        /// A code read from a JSON error body; ABI 1.0's `device_failure` is `device_error`.
        public init?(vocabulary text: String) {
            if text == "device_failure" {
                self = .deviceError
            } else {
                self.init(rawValue: text)
            }
        }
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
        let code = json["code"]?.stringValue.flatMap(Code.init(vocabulary:)) ?? fallback
        let message = json["error"]?.stringValue ?? json["message"]?.stringValue ?? "unspecified error"
        self.init(code, message, detail: json["detail"])
    }
}
