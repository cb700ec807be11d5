import Foundation
import TetherPluginKit

/// The page's JSON API under `_console/api/`:
///
/// | request | does |
/// |---|---|
/// | `POST login {username, password}` | `auth.login`; sets the session cookie → `{username, expiresAt}` |
/// | `POST logout` | clears the cookie |
/// | `GET session` | `auth.verify` → `{username, expiresAt}`, 401 when there is none |
/// | `POST run/<command> {args}` | runs an allowed host command (`ConsoleCommands`) → `{result}` |
///
/// Failures answer `{error, code, detail?}`; 401 means "log in again".
struct ConsoleAPI {
    let plugin: FrontendWebPlugin
    let request: ConsoleRequest

    func respond() async -> ConsoleResponse {
        do throws(ConsoleFailure) {
            let endpoint = String(request.relativePath.dropFirst("/_console/api/".count))
            switch (request.method, endpoint) {
            case ("POST", "login"): return try await login()
            case ("POST", "logout"):
                try ConsoleSession.checkSameOrigin(request)
                return ConsoleResponse.json(200, ["loggedOut": true])
                    .with(header: "set-cookie", ConsoleSession.clearingCookie(path: request.base))
            case ("GET", "session"):
                return .json(200, Self.sessionSummary(try await ConsoleSession.verify(request, host: plugin.host)))
            case ("POST", _) where endpoint.hasPrefix("run/"):
                return try await run(String(endpoint.dropFirst("run/".count)))
            default:
                throw ConsoleFailure(404, "No such console API endpoint.", code: "not_found")
            }
        } catch {
            return error.response
        }
    }

    private func login() async throws(ConsoleFailure) -> ConsoleResponse {
        try ConsoleSession.checkSameOrigin(request)
        guard let body = request.jsonObject(), let username = body["username"]?.stringValue,
            let password = body["password"]?.stringValue
        else { throw ConsoleFailure(400, "Send {\"username\", \"password\"}.", code: "bad_request") }
        let result: JSONValue
        do {
            result = try await plugin.host.submit(
                "auth.login",
                args: [
                    "username": .string(username), "password": .string(password),
                    "expiresInMinutes": .number(plugin.sessionMinutes),
                ])
        } catch {
            if error.code == "unauthorized" { throw ConsoleFailure(401, error.message, code: "login_failed") }
            throw ConsoleFailure(command: error)
        }
        guard let token = result["token"]?.stringValue else {
            throw ConsoleFailure(502, "The host issued no token.", code: "plugin_failure")
        }
        return ConsoleResponse.json(200, ["username": .string(username), "expiresAt": result["expiresAt"] ?? .null])
            .with(header: "set-cookie", ConsoleSession.cookie(token: token, path: request.base))
    }

    private func run(_ command: String) async throws(ConsoleFailure) -> ConsoleResponse {
        guard ConsoleCommands.allowed.contains(command) else {
            throw ConsoleFailure(404, "The console does not run '\(command.prefix(64))'.", code: "not_found")
        }
        try ConsoleSession.checkSameOrigin(request)
        let claims = try await ConsoleSession.verify(request, host: plugin.host)
        guard var args = request.jsonObject() else {
            throw ConsoleFailure(400, "The arguments must be a JSON object.", code: "bad_request")
        }
        if ConsoleCommands.recordsActor(command) {
            args["actor"] = .string("console:" + (claims["sub"]?.stringValue ?? "admin"))
        }
        do {
            return .json(200, ["result": try await plugin.host.submit(command, args: .object(args))])
        } catch {
            if error.code != "bad_request" && error.code != "not_found" && error.code != "conflict" {
                plugin.host.log(.warning, "\(command) failed: \(error.code): \(error.message)")
            }
            throw ConsoleFailure(command: error)
        }
    }

    private static func sessionSummary(_ claims: JSONValue) -> JSONValue {
        ["username": claims["sub"] ?? .null, "expiresAt": claims["exp"] ?? .null]
    }
}
