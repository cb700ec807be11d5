import Foundation
import TetherPluginKit

/// RPS `/admin/ciraconfigs|profiles|domains|wirelessconfigs|ieee8021xconfigs`: list, get, create (201), update (PATCH; a stale
/// `version` → 409, or 412 with `If-Match`, body = the stored record, `ETag` = its version),
/// delete (204).
enum AdminRoutes {
    static let all: [Route] =
        resource("ciraconfigs", command: "ciraconfigs", key: "configName")
        + resource("profiles", command: "profiles", key: "profileName")
        + resource("domains", command: "domains", key: "profileName")
        + resource("wirelessconfigs", command: "wirelessconfigs", key: "profileName")
        + resource("ieee8021xconfigs", command: "ieee8021xconfigs", key: "profileName")

    private static func resource(_ path: String, command: String, key: String) -> [Route] {
        [
            Route("GET", "/admin/\(path)") { plugin, request throws(RESTResponse) in
                var args: [String: JSONValue] = [:]
                for name in ["$top", "$skip", "$count"] { args[name] = request.exchange.query[name].map(JSONValue.string) }
                // The peer validates $count as a boolean, then treats every valid value other
                // than "false" (so "0" too) as true (shared/reference/rps.md 1.5).
                if let count = request.exchange.query["$count"], ["true", "1", "0"].contains(count.lowercased()) { args["$count"] = true }
                let query = args
                return RESTResponse(status: 200, json: try await plugin.run("\(command).list", .object(args)) { ErrorMapping.record($0, body: query) })
            },
            Route("GET", "/admin/\(path)/{name}") { plugin, request throws(RESTResponse) in
                let args: JSONValue = [key: .string(request.parameter("name"))]
                return RESTResponse(status: 200, json: try await plugin.run("\(command).get", args) { ErrorMapping.record($0) })
            },
            Route("POST", "/admin/\(path)") { plugin, request throws(RESTResponse) in
                let body = try request.exchange.jsonObject()
                let result = try await plugin.run("\(command).create", .object(body)) { ErrorMapping.record($0, body: body) }
                return RESTResponse(status: 201, json: result)
            },
            Route("PATCH", "/admin/\(path)") { plugin, request throws(RESTResponse) in
                var body = try request.exchange.jsonObject()
                let ifMatch = request.exchange.header("if-match")
                if let ifMatch { body["version"] = .string(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "W/\" "))) }
                let result = try await plugin.run("\(command).update", .object(body)) {
                    ErrorMapping.record($0, body: body, ifMatch: ifMatch != nil)
                }
                return RESTResponse(status: 200, json: result)
            },
            Route("DELETE", "/admin/\(path)/{name}") { plugin, request throws(RESTResponse) in
                let args: JSONValue = [key: .string(request.parameter("name"))]
                _ = try await plugin.run("\(command).delete", args) { ErrorMapping.record($0) }
                return RESTResponse(status: 204)
            },
        ]
    }
}
