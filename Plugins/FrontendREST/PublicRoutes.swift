import TetherPluginKit

/// Routes that need no token: authorize, health, version, the OpenAPI document.
enum PublicRoutes {
    static let all: [Route] = [
        Route("POST", "/authorize", auth: false) { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            var problems: [FieldProblem] = []
            let username = body["username"]?.stringValue
            if body["username"] != nil && username == nil {
                problems.append(FieldProblem(value: body["username"], msg: "Invalid value", path: "username", location: "body"))
            }
            if username?.isEmpty ?? true {
                if body["username"] == nil { problems.append(FieldProblem(msg: "Invalid value", path: "username", location: "body")) }
                problems.append(FieldProblem(value: body["username"], msg: "User name is required", path: "username", location: "body"))
            }
            let password = body["password"]?.stringValue
            if password?.isEmpty ?? true {
                problems.append(FieldProblem(value: body["password"], msg: "Password is required", path: "password", location: "body"))
            }
            guard problems.isEmpty, let username, let password else { throw RESTResponse.validation(problems) }
            var login: [String: JSONValue] = [
                "username": .string(username), "password": .string(password), "expiresInMinutes": .number(plugin.tokenExpiryMinutes),
            ]
            if let source = request.exchange.remoteAddress { login["source"] = .string(source) }
            let result = try await plugin.run("auth.login", .object(login)) { error in
                if error.code == "unauthorized" {
                    return RESTResponse(status: 401, json: ["message": "Incorrect Username and/or Password!"])
                }
                if let wait = error.detail?["retryAfterSeconds"]?.intValue {
                    return RESTResponse(status: 429, json: ["message": "Too many failed logins; try again later"])
                        .with(header: "retry-after", String(wait))
                }
                return ErrorMapping.record(error)
            }
            return RESTResponse(status: 200, json: ["token": result["token"] ?? .null]).with(header: "cache-control", "no-store")
        },
        Route("POST", "/logout") { plugin, request throws(RESTResponse) in
            let header = request.exchange.header("authorization") ?? ""
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            _ = try await plugin.run("auth.logout", ["token": .string(token)]) { error in
                error.code == "unauthorized" ? RESTResponse.unauthorized : ErrorMapping.record(error)
            }
            return RESTResponse(status: 200, json: ["message": "Logged out"]).with(header: "cache-control", "no-store")
        },
        Route("GET", "/health", auth: false) { plugin, _ throws(RESTResponse) in await health(plugin) },
        Route("GET", "/version", auth: false) { plugin, _ throws(RESTResponse) in
            RESTResponse(status: 200, json: ["serviceVersion": .string(plugin.host.hostVersion)])
        },
        Route("GET", "/openapi.json", auth: false) { _, _ throws(RESTResponse) in
            RESTResponse(status: 200, json: OpenAPIDocument.document)
        },
    ]

    /// MPS/RPS health: the store's and the secret store's state (503 when the store is unusable).
    static func health(_ plugin: FrontendRESTPlugin) async -> RESTResponse {
        var healthy = true
        do {
            _ = try await plugin.host.submit("devices.stats")
        } catch {
            healthy = false
        }
        let body: JSONValue = [
            "db": ["name": "SQLITE", "status": healthy ? "OK" : "unavailable"],
            "secretStore": ["name": "TETHER", "status": ["initialized": true, "sealed": false]],
        ]
        return RESTResponse(status: healthy ? 200 : 503, json: body)
    }
}
