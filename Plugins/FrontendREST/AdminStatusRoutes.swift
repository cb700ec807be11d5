import TetherPluginKit

/// RPS `GET /admin/version` and `GET /admin/health` (no token, like MPS's `/version` and `/health`).
enum AdminStatusRoutes {
    /// The RPC ⇄ RPS protocol version this host speaks (RPS reports "4.0.0").
    static let protocolVersion = "4.0.0"

    static let all: [Route] = [
        Route("GET", "/admin/version", auth: false) { plugin, _ throws(RESTResponse) in
            RESTResponse(
                status: 200,
                json: ["serviceVersion": .string(plugin.host.hostVersion), "protocolVersion": .string(protocolVersion)])
        },
        Route("GET", "/admin/health", auth: false) { plugin, _ throws(RESTResponse) in await PublicRoutes.health(plugin) },
    ]
}
