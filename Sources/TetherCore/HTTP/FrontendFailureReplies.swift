import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PluginHost
import TetherJSON

/// How a front end wants the host to answer when calling it fails, from its
/// `tether.frontend.http/1` manifest:
///
/// ```json
/// {"failureBodies": {
///    "timeout":     {"status": 504, "headers": {…}, "body_json": {"error": "Gateway Timeout", "message": "{message}"}},
///    "unavailable": {"status": 503, "body_json": {…}},
///    "failure":     {"status": 502, "body_json": {…}}}}
/// ```
///
/// Each template is a reply in the `http.request` reply format; `{message}` in any string of
/// `body_json` (and in header values) is replaced by the host's reason. `status` defaults to 504,
/// 503 and 502. `timeout`: the plugin did not answer within the request's deadline;
/// `unavailable`: the plugin is missing, busy or shutting down; `failure`: anything else (an
/// error answer, a malformed reply). Without a declaration the host answers a neutral body: the
/// status line and the reason as plain text. A plain value.
struct FrontendFailureReplies: Sendable, Equatable {
    /// Which failure happened.
    enum Kind: String, Sendable, CaseIterable {
        case timeout, unavailable, failure

        var status: HTTPResponse.Status {
            switch self {
            case .timeout: .gatewayTimeout
            case .unavailable: .serviceUnavailable
            case .failure: .badGateway
            }
        }

        /// The failure a plugin call's error code stands for.
        init(_ code: CommandError.Code) {
            switch code {
            case .timeout: self = .timeout
            case .unavailable: self = .unavailable
            default: self = .failure
            }
        }
    }

    /// The declared templates (absent kinds answer the neutral body).
    private(set) var templates: [Kind: JSONValue] = [:]

    init() {}

    /// Reads `failureBodies`; a malformed declaration names the plugin and the key.
    init(manifest: JSONValue, pluginID: String) throws(ConfigurationError) {
        guard let declared = manifest["failureBodies"], !declared.isNull else { return }
        guard let members = declared.objectValue else {
            throw ConfigurationError("plugin \(pluginID): tether.frontend.http/1 'failureBodies' must be an object")
        }
        for (key, template) in members {
            guard let kind = Kind(rawValue: key) else {
                throw ConfigurationError("plugin \(pluginID): unknown failureBodies key '\(key)' (timeout, unavailable, failure)")
            }
            guard template.objectValue != nil else {
                throw ConfigurationError("plugin \(pluginID): failureBodies.\(key) must be a reply object")
            }
            var reply = template
            if reply["status"] == nil, case .object(var object) = reply {
                object["status"] = .number(Int(kind.status.code))
                reply = .object(object)
            }
            do {
                _ = try FrontendReply.response(from: Self.substitute(reply, message: ""))
            } catch {
                throw ConfigurationError("plugin \(pluginID): failureBodies.\(key) is not a valid reply: \(error.message)")
            }
            templates[kind] = reply
        }
    }

    /// The declared reply for a failure of `kind` with the host's `reason` (nil: none declared).
    func reply(_ kind: Kind, reason: String) -> JSONValue? {
        templates[kind].map { Self.substitute($0, message: reason) }
    }

    /// The response for a failure of `kind` with the host's `reason`.
    func response(_ kind: Kind, reason: String) -> GatewayResponse {
        if let reply = reply(kind, reason: reason), let response = try? FrontendReply.response(from: reply) {
            return response
        }
        let status = kind.status
        return GatewayResponse(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ByteBuffer(string: "\(status.code) \(status.reasonPhrase): \(reason)\n"))
    }

    /// `template` with `{message}` replaced in every string of `body_json` and `headers`.
    static func substitute(_ template: JSONValue, message: String) -> JSONValue {
        guard case .object(var object) = template else { return template }
        if let body = object["body_json"] { object["body_json"] = replacing(body, message) }
        // A reason in a header must not end it: line breaks become spaces there.
        let headerSafe = String(message.map { $0 == "\r" || $0 == "\n" ? " " : $0 })
        if let headers = object["headers"] { object["headers"] = replacing(headers, headerSafe) }
        return .object(object)
    }

    private static func replacing(_ value: JSONValue, _ message: String) -> JSONValue {
        switch value {
        case .string(let text): .string(text.replacingOccurrences(of: "{message}", with: message))
        case .array(let items): .array(items.map { replacing($0, message) })
        case .object(let members): .object(members.mapValues { replacing($0, message) })
        default: value
        }
    }
}
