import TetherPluginKit

/// MPS `/devices` routes. Device credentials (`mpsusername`, `mpsPassword`, `amtPassword`) are
/// accepted on POST/PATCH and never returned.
enum DeviceRoutes {
    static let all: [Route] = [
        Route("GET", "/devices/stats") { plugin, _ throws(RESTResponse) in
            RESTResponse(status: 200, json: try await plugin.run("devices.stats", [:]) { ErrorMapping.record($0) })
        },
        Route("GET", "/devices/tags") { plugin, _ throws(RESTResponse) in
            let result = try await plugin.run("devices.tags", [:]) { ErrorMapping.record($0) }
            return RESTResponse(status: 200, json: result.arrayValue != nil ? result : (result["tags"] ?? .array([])))
        },
        Route("DELETE", "/devices/disconnect/{guid}") { plugin, request throws(RESTResponse) in
            let guid = request.parameter("guid").lowercased()
            _ = try await plugin.run("devices.disconnect", ["guid": .string(guid)]) { error in
                error.code == "not_found" || error.code == "not_connected" ? .deviceNotFound(guid) : .mpsError(500, "Exception during Device Disconnect")
            }
            return RESTResponse(
                status: 200, json: ["success": 200, "description": .string("Device CIRA connection disconnected : \(guid)")])
        },
        Route("GET", "/devices") { plugin, request throws(RESTResponse) in
            let query = request.exchange.query.mapValues(JSONValue.string)
            return RESTResponse(status: 200, json: try await plugin.run("devices.list", .object(query)) { ErrorMapping.record($0, body: query) })
        },
        Route("POST", "/devices") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            let result = try await plugin.run("devices.create", .object(body)) { ErrorMapping.record($0, body: body).guidInBody() }
            return RESTResponse(status: 201, json: result)
        },
        Route("PATCH", "/devices") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            let result = try await plugin.run("devices.update", .object(body)) { ErrorMapping.record($0, body: body).guidInBody() }
            return RESTResponse(status: 200, json: result)
        },
        Route("GET", "/devices/{guid}") { plugin, request throws(RESTResponse) in
            var args: JSONValue = ["guid": .string(request.parameter("guid"))]
            // MPS reads `?tenantId=` when the request itself carries no tenant (always, here).
            if let tenant = request.exchange.query["tenantId"] { args = ["guid": .string(request.parameter("guid")), "tenantId": .string(tenant)] }
            return RESTResponse(status: 200, json: try await plugin.run("devices.get", args) { ErrorMapping.record($0) })
        },
        Route("DELETE", "/devices/{guid}") { plugin, request throws(RESTResponse) in
            var args: [String: JSONValue] = ["guid": .string(request.parameter("guid"))]
            if let flag = request.exchange.query["isSecretToBeDeleted"] {
                guard let value = Booleans.parse(.string(flag)) else {
                    throw RESTResponse.validation([
                        FieldProblem(value: .string(flag), msg: "Invalid value", path: "isSecretToBeDeleted", location: "query")
                    ])
                }
                args["isSecretToBeDeleted"] = .bool(value)
            }
            _ = try await plugin.run("devices.delete", .object(args)) { ErrorMapping.record($0) }
            return RESTResponse(status: 204)
        },
        Route("GET", "/ciracert") { plugin, _ throws(RESTResponse) in
            let result = try await plugin.run("cert.show", [:]) { _ in .mpsError(500, "MPS root certificate does not exist") }
            guard let pem = result["rootCertificatePEM"]?.stringValue else {
                throw RESTResponse.mpsError(500, "MPS root certificate does not exist")
            }
            return RESTResponse(status: 200, text: pem, contentType: "text/plain; charset=utf-8")
        },
    ]
}

extension RESTResponse {
    /// A missing body `guid` is reported at `location: "body"`, as express-validator's `check()`
    /// does (the shared mapping assumes a path parameter when the body lacks the field).
    func guidInBody() -> RESTResponse {
        guard status == 400, let errors = json?["errors"]?.arrayValue else { return self }
        var copy = self
        copy.json = ["errors": .array(errors.map { error in
            guard error["path"] == "guid", var object = error.objectValue else { return error }
            object["location"] = "body"
            return .object(object)
        })]
        return copy
    }
}

/// express-validator's `isBoolean` + `toBoolean`: true/false/"true"/"false"/"1"/"0"/1/0.
enum Booleans {
    static func parse(_ value: JSONValue?) -> Bool? {
        switch value {
        case .bool(let flag)?: return flag
        case .int(let number)? where number == 0 || number == 1: return number == 1
        case .string(let text)?:
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }
}
