import TetherPluginKit

/// `/jobs`: fleet jobs (a Tether extension; Open AMT has no bulk operations). Bodies and results
/// are the `jobs.*` host commands' JSON; validation errors use the express-validator shape.
enum JobRoutes {
    static let all: [Route] = [
        Route("POST", "/jobs") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            return RESTResponse(status: 201, json: try await plugin.run("jobs.create", .object(body)) { ErrorMapping.record($0, body: body) })
        },
        Route("GET", "/jobs") { plugin, _ throws(RESTResponse) in
            let result = try await plugin.run("jobs.list", [:]) { ErrorMapping.record($0) }
            return RESTResponse(status: 200, json: result["jobs"] ?? .array([]))
        },
        Route("GET", "/jobs/{id}") { plugin, request throws(RESTResponse) in
            var args: [String: JSONValue] = ["id": .string(request.parameter("id"))]
            if let status = request.exchange.query["status"] { args["status"] = .string(status) }
            if request.exchange.query["results"] == "false" { args["results"] = false }
            return RESTResponse(status: 200, json: try await plugin.run("jobs.get", .object(args)) { ErrorMapping.record($0) })
        },
        Route("POST", "/jobs/{id}/cancel") { plugin, request throws(RESTResponse) in
            let args: JSONValue = ["id": .string(request.parameter("id"))]
            return RESTResponse(status: 200, json: try await plugin.run("jobs.cancel", args) { ErrorMapping.record($0) })
        },
    ]

    /// The OpenAPI paths of these routes.
    static var openAPIPaths: [String: JSONValue] {
        typealias Doc = OpenAPIDocument
        let (jobRequest, job) = (openAPISchemas["JobRequest"]!, openAPISchemas["Job"]!)
        return [
            "/jobs": [
                "get": Doc.operation("Fleet jobs, newest first, with progress", responses: ["200": Doc.json(["type": "array", "items": job])]),
                "post": Doc.operation(
                    "Start a fleet job: bulk power action or power state over GUIDs or tags (AND/OR)", body: jobRequest,
                    responses: ["201": Doc.json(job), "400": Doc.ref("ValidationErrors")]),
            ],
            "/jobs/{id}": [
                "get": Doc.operation(
                    "A job with per-device results (status filters them; results=false omits them)", path: ["id"],
                    query: ["status", "results"], responses: ["200": Doc.json(job), "404": Doc.ref("Error")])
            ],
            "/jobs/{id}/cancel": [
                "post": Doc.operation("Cancel a running job", path: ["id"], responses: ["200": Doc.json(job), "404": Doc.ref("Error")])
            ],
        ]
    }

    /// The OpenAPI schemas of these routes (inlined in the operations).
    static var openAPISchemas: [String: JSONValue] {
        typealias Doc = OpenAPIDocument
        return [
            "JobRequest": Doc.object([
                "kind": ["type": "string", "enum": ["power.action", "power.state"]],
                "target": Doc.object(["guids": Doc.stringArray, "tags": Doc.stringArray, "method": ["type": "string", "enum": ["AND", "OR"]]]),
                "action": Doc.integer, "useSOL": Doc.boolean, "concurrency": Doc.integer,
            ]),
            "Job": Doc.object([
                "id": Doc.string, "kind": Doc.string, "status": ["type": "string", "enum": ["running", "finished", "cancelled"]],
                "concurrency": Doc.integer, "createdAt": Doc.string, "finishedAt": Doc.string, "target": ["type": "object"],
                "progress": Doc.object([
                    "total": Doc.integer, "done": Doc.integer, "succeeded": Doc.integer, "failed": Doc.integer,
                    "cancelled": Doc.integer, "pending": Doc.integer, "running": Doc.integer,
                ]),
                "results": [
                    "type": "array",
                    "items": Doc.object(["guid": Doc.string, "status": Doc.string, "result": ["type": "object"], "error": Doc.object(["code": Doc.string, "message": Doc.string])]),
                ],
            ]),
        ]
    }
}
