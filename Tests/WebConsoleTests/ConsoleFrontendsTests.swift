import Foundation
import Testing
import TetherJSON
@testable import TetherCore

/// The console over plain HTTP: swapping front ends is configuration (REST only, console
/// only, both), the security headers, the session cookie, and the API's refusals.
extension ConsoleTests {
@Suite struct Frontends {
    static let consoleHeader = ["X-Tether-Console": "1"]

    /// The console header plus a session cookie.
    static func authed(_ cookie: String) -> [String: String] { ["X-Tether-Console": "1", "Cookie": cookie] }

    /// Logs in through the console API and returns the `Cookie` header value.
    static func login(_ bed: ConsoleTestHost, prefix: String = "") async throws -> (cookie: String, setCookie: String) {
        let reply = try await bed.request(
            "POST", prefix + "/_console/api/login", body: #"{"username":"admin","password":"\#(consoleAdminPassword)"}"#,
            headers: Self.consoleHeader)
        try #require(reply.status == 200, "\(reply.status) \(reply.text)")
        let setCookie = try #require(reply.headers["set-cookie"])
        return (String(setCookie.split(separator: ";")[0]), setCookie)
    }

    @Test func bothFrontEndsByDefaultWithTheConsoleAtRoot() async throws {
        let bed = try await ConsoleTestHost.start()
        defer { Task { await bed.stop() } }
        #expect(bed.host.frontendMounts.map(\.prefix) == ["/api/v1", "/"])

        let page = try await bed.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        let policy = try #require(page.headers["content-security-policy"])
        #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
        #expect(page.headers["x-content-type-options"] == "nosniff")
        #expect(page.text.contains(#"<script src="/assets/console.js" defer></script>"#))
        #expect(!page.text.contains("<script>"))
        let script = try await bed.request("GET", "/assets/console.js")
        #expect(script.status == 200 && script.headers["content-type"]?.hasPrefix("text/javascript") == true)
        #expect(!script.text.contains("innerHTML"))

        let missing = try await bed.request("GET", "/definitely/not/here")
        #expect(missing.status == 404)
        #expect(missing.text.contains("Page not found") && missing.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect((try await bed.request("GET", "/api/v1/version")).status == 200)
        let metrics = try await bed.request("GET", "/metrics")
        #expect(metrics.status == 200 && metrics.text.contains("tether_http_requests_total"))

        // The API: a session cookie, CSRF refusals, an allow-list of commands.
        let noHeader = try await bed.request("POST", "/_console/api/login", body: #"{"username":"admin","password":"x"}"#)
        #expect(noHeader.status == 403)
        let foreign = try await bed.request(
            "POST", "/_console/api/login", body: #"{"username":"admin","password":"\#(consoleAdminPassword)"}"#,
            headers: Self.consoleHeader.merging(["Origin": "http://evil.example"]) { $1 })
        #expect(foreign.status == 403 && foreign.headers["set-cookie"] == nil)
        let wrong = try await bed.request(
            "POST", "/_console/api/login", body: #"{"username":"admin","password":"nope"}"#, headers: Self.consoleHeader)
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        let (cookie, setCookie) = try await Self.login(bed)
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/;"))
        let session = try await bed.request("GET", "/_console/api/session", headers: ["Cookie": cookie])
        #expect(session.status == 200 && session.json?["username"] == "admin")
        let list = try await bed.request("POST", "/_console/api/run/ciraconfigs.list", body: "{}", headers: Self.authed(cookie))
        #expect(list.status == 200 && list.json?["result"] == [])
        let anonymous = try await bed.request("POST", "/_console/api/run/ciraconfigs.list", body: "{}", headers: Self.consoleHeader)
        #expect(anonymous.status == 401)
        let forgedCookie = try await bed.request("POST", "/_console/api/run/ciraconfigs.list", body: "{}", headers: ["Cookie": cookie])
        #expect(forgedCookie.status == 403)
        for command in ["auth.login", "wsman.invoke", "devices.disconnect"] {
            let refused = try await bed.request("POST", "/_console/api/run/\(command)", body: "{}", headers: Self.authed(cookie))
            #expect(refused.status == 404, "\(command)")
        }
        let invalid = try await bed.request(
            "POST", "/_console/api/run/ciraconfigs.create", body: #"{"configName":"x y"}"#, headers: Self.authed(cookie))
        #expect(invalid.status == 400)
        let fields = invalid.json?["detail"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(fields.contains("configName") && fields.contains("mpsServerAddress"), "\(invalid.text)")
        let expired = try await bed.request("GET", "/_console/api/session", headers: ["Cookie": "tether_console=\(try bed.expiredToken())"])
        #expect(expired.status == 401 && expired.json?["code"] == "session_expired")
        let logout = try await bed.request("POST", "/_console/api/logout", headers: Self.authed(cookie))
        #expect(logout.status == 200 && logout.headers["set-cookie"]?.contains("Max-Age=0") == true)
    }

    @Test func restOnly() async throws {
        let bed = try await ConsoleTestHost.start(frontends: ["rest:/api/v1"])
        defer { Task { await bed.stop() } }
        #expect(bed.host.frontendMounts.map(\.name) == ["rest"])
        #expect((try await bed.request("GET", "/")).status == 404)
        #expect((try await bed.request("POST", "/_console/api/login", body: "{}", headers: Self.consoleHeader)).status == 404)
        #expect((try await bed.request("GET", "/api/v1/version")).status == 200)
    }

    @Test func consoleOnlyAtItsOwnMount() async throws {
        let bed = try await ConsoleTestHost.start(frontends: ["console:/console"])
        defer { Task { await bed.stop() } }
        #expect(bed.host.frontendMounts.map(\.name) == ["console"])
        #expect((try await bed.request("GET", "/api/v1/version")).status == 404)
        let redirect = try await bed.request("GET", "/console")
        #expect(redirect.status == 308 && redirect.headers["location"] == "/console/")
        let page = try await bed.request("GET", "/console/")
        #expect(page.status == 200 && page.text.contains(#"<meta name="tether-base" content="/console/">"#))
        let (cookie, setCookie) = try await Self.login(bed, prefix: "/console")
        #expect(setCookie.contains("Path=/console/;"))
        let stats = try await bed.request(
            "POST", "/console/_console/api/run/devices.stats", body: "{}", headers: Self.authed(cookie))
        #expect(stats.status == 200, "\(stats.text)")
    }
}
}
