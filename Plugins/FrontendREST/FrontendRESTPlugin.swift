import Foundation
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: FrontendRESTPlugin.info, plugin: FrontendRESTPlugin.self)
}

/// The Open AMT compatible REST API (MPS device/power routes and RPS admin routes) as a front
/// end: the host's HTTP listener hands it every request under its mount (`/api/v1` by
/// default) and it answers by running host commands. It keeps no state and no secrets: tokens
/// are issued and checked by the host (`auth.login`, `auth.verify`).
///
/// Configuration: `{"tokenExpiryMinutes": 1440}` (token lifetime). The administrator account is
/// the host's (`adminUser`/`adminPassword` in its config, see README "REST API").
final class FrontendRESTPlugin: TetherPlugin {
    static let info = PluginInfo(id: "io.tether.frontend-rest", name: "REST API (Open AMT compatible)", version: "1.0.0")

    let host: PluginHostConnection
    let tokenExpiryMinutes: Int

    init(host: PluginHostConnection, config: JSONValue) throws {
        if let minutes = config["tokenExpiryMinutes"], !(1...525_600).contains(minutes.intValue ?? 0) {
            throw PluginError.badRequest("configuration member 'tokenExpiryMinutes' must be an integer 1–525600")
        }
        self.host = host
        self.tokenExpiryMinutes = config["tokenExpiryMinutes"]?.intValue ?? 1440
    }

    var extensions: [String: JSONValue] {
        [
            "tether.frontend.http/1": [
                "name": "rest", "mount": "/api/v1", "auth": "bearer",
                "public": .array(Self.routes.filter { !$0.requiresAuth }.map { ["method": .string($0.method), "path": .string($0.template)] }),
                "unauthorized": RESTResponse.unauthorized.reply,
                // How the host answers when this plugin times out, is unavailable or fails.
                "failureBodies": [
                    "timeout": RESTResponse.named(504, "Gateway Timeout", "{message}").reply,
                    "unavailable": RESTResponse.named(503, "Service Unavailable", "{message}").reply,
                    "failure": RESTResponse.named(502, "Bad Gateway", "{message}").reply,
                ],
            ],
            "tether.commands/1": [
                "commands": [["name": "rest.routes", "summary": "The REST front end's route table: [{method, path, auth}]"]]
            ],
        ]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        switch request["op"]?.stringValue {
        case "http.request":
            return await serve(request).reply
        case "command" where request["command"]?.stringValue == "rest.routes":
            return ["routes": .array(Self.routes.map { ["method": .string($0.method), "path": .string($0.template), "auth": .bool($0.requiresAuth)] })]
        default:
            throw PluginError.unsupported("the REST front end answers http.request and rest.routes")
        }
    }

    /// Routes, authenticates and runs one request. Every failure becomes an HTTP response.
    func serve(_ request: JSONValue) async -> RESTResponse {
        do throws(RESTResponse) {
            let exchange = try HTTPExchange(request: request)
            guard let (route, parameters) = Self.route(for: exchange) else { return .notFound }
            if route.requiresAuth { try await authenticate(exchange) }
            let response = try await route.handler(self, RouteRequest(exchange: exchange, parameters: parameters))
            return ETag.apply(to: response, method: exchange.method, ifNoneMatch: exchange.header("if-none-match"))
        } catch {
            return error
        }
    }

    static func route(for exchange: HTTPExchange) -> (Route, [String: String])? {
        let lowercased = exchange.segments.map { $0.lowercased() }
        for route in routes where route.method == exchange.method {
            if let parameters = route.match(exchange.segments, lowercased: lowercased) { return (route, parameters) }
        }
        return nil
    }

    /// The host verified the token before delivering the request (`principal`); otherwise (an
    /// older host) checks `Authorization: Bearer <token>` with `auth.verify`. 401 otherwise,
    /// saying nothing about which check failed.
    private func authenticate(_ exchange: HTTPExchange) async throws(RESTResponse) {
        if exchange.principal != nil { return }
        guard let header = exchange.header("authorization"), header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw RESTResponse.unauthorized }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        do {
            _ = try await host.submit("auth.verify", args: ["token": .string(token)])
        } catch {
            if error.code == "unauthorized" || error.code == "bad_request" { throw RESTResponse.unauthorized }
            throw RESTResponse.mpsError(503, "the host cannot check tokens: \(error.message)")
        }
    }

    /// Runs a host command; failures are mapped by `failure`. The command ends a little before
    /// the HTTP request's deadline, so that a timeout is answered in Open AMT's shape by this
    /// plugin rather than by the host's gateway.
    func run(
        _ command: String, _ args: JSONValue, failure: (HostCommandError) -> RESTResponse
    ) async throws(RESTResponse) -> JSONValue {
        do {
            return try await host.submit(command, args: args, timeout: Self.commandBudget())
        } catch {
            if error.code == "cancelled" { throw RESTResponse.mpsError(503, "the request was cancelled") }
            let response = failure(error)
            if response.status >= 500 { host.log(.warning, "\(command) failed: \(error.code): \(error.message)") }
            throw response
        }
    }

    /// What is left of the HTTP request's budget, less a margin for the answer (nil: no deadline known).
    static func commandBudget() -> Duration? {
        guard let remaining = PluginRequest.remaining else { return nil }
        return remaining - min(.milliseconds(500), remaining / 4)
    }

    /// Every route, in match order (literal segments before parameters).
    static let routes: [Route] = PublicRoutes.all + DeviceRoutes.all + AMTRoutes.all + MaintenanceRoutes.all + AdminStatusRoutes.all
        + AdminRoutes.all + JobRoutes.all + ActivationRoutes.all
}
