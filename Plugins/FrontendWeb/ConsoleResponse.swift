import Foundation
import TetherPluginKit

/// A response in the making, with the console's security headers; `reply` is the
/// `tether.frontend.http/1` reply format.
struct ConsoleResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = Self.securityHeaders.merging(headers) { $1 }
        self.body = body
    }

    /// Sent with every response: no inline script or style, no framing, no MIME sniffing.
    static let securityHeaders: [String: String] = [
        "content-security-policy":
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
    ]

    /// An HTML page (never cached: it carries the mount).
    static func page(_ status: Int, _ html: String) -> ConsoleResponse {
        ConsoleResponse(
            status: status, headers: ["content-type": "text/html; charset=utf-8", "cache-control": "no-store"], body: Array(html.utf8))
    }

    /// An embedded asset; revalidated on each load so an upgraded host serves its new script.
    static func asset(_ text: String, type: String) -> ConsoleResponse {
        ConsoleResponse(status: 200, headers: ["content-type": type, "cache-control": "no-cache"], body: Array(text.utf8))
    }

    /// A JSON API answer (never cached).
    static func json(_ status: Int, _ value: JSONValue) -> ConsoleResponse {
        ConsoleResponse(
            status: status, headers: ["content-type": "application/json; charset=utf-8", "cache-control": "no-store"],
            body: value.encodedBytes())
    }

    /// A `failureBodies` template for the host: the API's error shape `{"error", "code"}` with
    /// the host's reason in place of `{message}`, and the security headers.
    static func failureTemplate(_ status: Int, code: String) -> JSONValue {
        var headers = securityHeaders
        headers["content-type"] = "application/json; charset=utf-8"
        headers["cache-control"] = "no-store"
        return [
            "status": .number(status), "headers": .object(headers.mapValues(JSONValue.string)),
            "body_json": ["error": "{message}", "code": .string(code)],
        ]
    }

    func with(header name: String, _ value: String) -> ConsoleResponse {
        var copy = self
        copy.headers[name] = value
        return copy
    }

    /// The reply object handed back to the host.
    var reply: JSONValue {
        [
            "status": .number(status), "headers": .object(headers.mapValues(JSONValue.string)),
            "body_base64": .string(Data(body).base64EncodedString()),
        ]
    }
}
