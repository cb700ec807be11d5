import TetherPluginKit

/// Activation progress (a Tether extension; RPS has no such route): the step log of each
/// activation, deactivation and maintenance run over the host's `/activate` websocket.
enum ActivationRoutes {
    static let all: [Route] = [
        Route("GET", "/admin/activations") { plugin, request throws(RESTResponse) in
            var args: [String: JSONValue] = [:]
            if let guid = request.exchange.query["guid"] { args["guid"] = .string(guid) }
            if let limit = request.exchange.query["limit"] {
                guard let value = Int(limit) else {
                    throw RESTResponse.validation([FieldProblem(value: .string(limit), msg: "limit must be an integer", path: "limit", location: "query")])
                }
                args["limit"] = .int(Int64(value))
            }
            return RESTResponse(status: 200, json: try await plugin.run("activations.list", .object(args)) { ErrorMapping.record($0) })
        },
        Route("GET", "/admin/activations/{id}") { plugin, request throws(RESTResponse) in
            let args: JSONValue = ["id": .string(request.parameter("id"))]
            return RESTResponse(status: 200, json: try await plugin.run("activations.get", args) { ErrorMapping.record($0) })
        },
    ]

    /// The routes' OpenAPI paths (merged into ``OpenAPIDocument``).
    static var openAPIPaths: [String: JSONValue] {
        typealias Doc = OpenAPIDocument
        let step = Doc.object(["at": Doc.string, "step": Doc.string, "ok": Doc.boolean, "detail": Doc.string])
        let record = Doc.object([
            "id": Doc.string, "guid": Doc.string, "operation": Doc.string, "profile": Doc.string, "tenantId": Doc.string,
            "state": Doc.string, "startedAt": Doc.string, "finishedAt": Doc.string, "message": Doc.string,
            "steps": .object(["type": "array", "items": step]),
        ])
        return [
            "/admin/activations": [
                "get": Doc.operation(
                    "Activations over /activate, newest first (state running/succeeded/failed, step log)", query: ["guid", "limit"],
                    responses: ["200": Doc.json(.object(["type": "array", "items": record])), "400": Doc.ref("ValidationErrors")])
            ],
            "/admin/activations/{id}": [
                "get": Doc.operation(
                    "One activation and its step log", path: ["id"], responses: ["200": Doc.json(record), "404": Doc.ref("Error")])
            ],
        ]
    }
}
