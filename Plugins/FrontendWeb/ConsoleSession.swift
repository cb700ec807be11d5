import Foundation
import TetherPluginKit

/// The console's session rules: the host's `auth.login` token lives in an HttpOnly,
/// SameSite=Strict cookie scoped to the mount; every API request is checked with
/// `auth.verify`; requests that change anything must also carry `X-Tether-Console: 1` (a
/// custom header a cross-site form cannot send, and cross-site scripts cannot send without a
/// CORS preflight the console never grants); a browser's `Sec-Fetch-Site` must say
/// `same-origin` and its `Origin`, when sent, must name this host.
enum ConsoleSession {
    static let cookieName = "tether_console"
    static let csrfHeader = "x-tether-console"

    /// The claims of the request's session; throws a 401 answer saying why there is none.
    static func verify(_ request: ConsoleRequest, host: PluginHostConnection) async throws(ConsoleFailure) -> JSONValue {
        guard let token = request.cookie(cookieName), !token.isEmpty else {
            throw ConsoleFailure(401, "Please log in.", code: "no_session")
        }
        do {
            return try await host.submit("auth.verify", args: ["token": .string(token)])
        } catch {
            switch error.code {
            case "unauthorized", "bad_request":
                // The host says only "invalid token" (it tells callers nothing about why); the
                // token's own `exp` claim, readable without the key, says whether it expired.
                if let expiry = expiry(of: token), expiry <= Date().timeIntervalSince1970 {
                    throw ConsoleFailure(401, "Your session has expired. Please log in again.", code: "session_expired")
                }
                throw ConsoleFailure(401, "Your session is no longer valid. Please log in again.", code: "session_invalid")
            default:
                throw ConsoleFailure(503, "The host cannot check sessions right now: \(error.message)", code: error.code)
            }
        }
    }

    /// The `exp` claim of a JWS compact token (not verified: only used to word a refusal).
    static func expiry(of token: String) -> Double? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload), let claims = try? JSONValue(parsing: Array(data)) else { return nil }
        return claims["exp"]?.doubleValue
    }

    /// Refuses a state-changing request that lacks the console header or comes from another origin.
    static func checkSameOrigin(_ request: ConsoleRequest) throws(ConsoleFailure) {
        guard request.header(csrfHeader) == "1" else {
            throw ConsoleFailure(403, "This request must come from the console page (X-Tether-Console header missing).", code: "forbidden")
        }
        if let site = request.header("sec-fetch-site"), site != "same-origin", site != "none" {
            throw ConsoleFailure(403, "Cross-site requests are refused.", code: "forbidden")
        }
        if let origin = request.header("origin") {
            guard let host = request.header("host"), origin == "http://\(host)" || origin == "https://\(host)" else {
                throw ConsoleFailure(403, "Cross-origin requests are refused.", code: "forbidden")
            }
        }
    }

    /// `Set-Cookie` for a new session, scoped to the mount. A browser-session cookie (no
    /// `Max-Age`): the token's own expiry ends the session, so the page can say it expired
    /// instead of finding the cookie silently gone.
    static func cookie(token: String, path: String) -> String {
        "\(cookieName)=\(token); Path=\(path); HttpOnly; SameSite=Strict"
    }

    /// `Set-Cookie` that removes the session.
    static func clearingCookie(path: String) -> String {
        "\(cookieName)=; Path=\(path); Max-Age=0; HttpOnly; SameSite=Strict"
    }
}

/// An API failure: HTTP status, message and machine-readable code (plus a host error's detail).
struct ConsoleFailure: Error, Sendable {
    var status: Int
    var message: String
    var code: String
    var detail: JSONValue?

    init(_ status: Int, _ message: String, code: String, detail: JSONValue? = nil) {
        self.status = status
        self.message = message
        self.code = code
        self.detail = detail
    }

    /// A failed host command, with the status the page uses to decide where to show it.
    init(command error: HostCommandError) {
        let status: Int
        switch error.code {
        case "bad_request": status = 400
        case "not_found": status = 404
        case "conflict": status = 409
        case "not_connected": status = 409
        case "timeout": status = 504
        case "unavailable", "cancelled": status = 503
        default: status = 502
        }
        self.init(status, error.message, code: error.code, detail: error.detail)
    }

    var response: ConsoleResponse {
        var body: [String: JSONValue] = ["error": .string(message), "code": .string(code)]
        if let detail { body["detail"] = detail }
        return .json(status, .object(body))
    }
}
