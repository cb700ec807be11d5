import Foundation
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: FrontendWebPlugin.info, plugin: FrontendWebPlugin.self)
}

/// The web console: a browser front end mounted at `/` (front-end name `console`). It serves
/// its embedded page, script and style sheet, and a small JSON API under `_console/api/` that
/// the page calls; every API call runs host commands through the plugin contract (`submit`),
/// never the REST front end. Sessions are the host's `auth.login` tokens in an HttpOnly,
/// SameSite=Strict cookie, checked with `auth.verify` on every API request (see README "Web
/// console").
///
/// Configuration: `{"sessionMinutes": 60}` (lifetime of a console login, 1–1440).
final class FrontendWebPlugin: TetherPlugin {
    static let info = PluginInfo(id: "io.tether.frontend-web", name: "Web console", version: "1.0.0")

    let host: PluginHostConnection
    let sessionMinutes: Int

    init(host: PluginHostConnection, config: JSONValue) throws {
        if let minutes = config["sessionMinutes"], !(1...1440).contains(minutes.intValue ?? 0) {
            throw PluginError.badRequest("configuration member 'sessionMinutes' must be an integer 1–1440")
        }
        self.host = host
        self.sessionMinutes = config["sessionMinutes"]?.intValue ?? 60
    }

    var extensions: [String: JSONValue] {
        [
            "tether.frontend.http/1": [
                "name": "console", "mount": "/",
                // How the host answers when this plugin times out, is unavailable or fails: the
                // console API's own error shape, which the page shows.
                "failureBodies": [
                    "timeout": ConsoleResponse.failureTemplate(504, code: "timeout"),
                    "unavailable": ConsoleResponse.failureTemplate(503, code: "unavailable"),
                    "failure": ConsoleResponse.failureTemplate(502, code: "plugin_failure"),
                ],
            ]
        ]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        guard request["op"]?.stringValue == "http.request" else {
            throw PluginError.unsupported("the web console answers http.request only")
        }
        return await serve(request).reply
    }

    /// Answers one HTTP request: an asset, the page, an API call, or the 404 page.
    func serve(_ request: JSONValue) async -> ConsoleResponse {
        guard let exchange = ConsoleRequest(request: request) else {
            return .json(400, ["error": "the request could not be read"])
        }
        if exchange.relativePath.hasPrefix("/_console/api/") {
            return await ConsoleAPI(plugin: self, request: exchange).respond()
        }
        guard exchange.method == "GET" || exchange.method == "HEAD" else {
            return ConsoleResponse.page(405, ConsolePages.notFound(base: exchange.base, title: "Method not allowed"))
                .with(header: "allow", "GET, HEAD")
        }
        if exchange.isMountWithoutSlash {
            return ConsoleResponse(status: 308, headers: ["location": exchange.base], body: [])
        }
        switch exchange.relativePath {
        case "/", "/index.html": return .page(200, ConsolePages.index(base: exchange.base))
        case "/assets/console.js": return .asset(ConsoleScript.source, type: "text/javascript; charset=utf-8")
        case "/assets/console.css": return .asset(ConsoleStyle.source, type: "text/css; charset=utf-8")
        case "/assets/icon.svg": return .asset(ConsolePages.icon, type: "image/svg+xml")
        default: return .page(404, ConsolePages.notFound(base: exchange.base, title: "Page not found"))
        }
    }
}
