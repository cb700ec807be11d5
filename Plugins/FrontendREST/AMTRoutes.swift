import TetherPluginKit

/// MPS `/amt/*` routes: power actions, boot options and device reads through the host's AMT
/// commands. `{guid}` is not validated as a UUID (as MPS): an unknown one is a 404.
enum AMTRoutes {
    /// MPS's `DMTFPowerStates` without 17, which is not a RequestPowerStateChange value
    /// (README "REST API": peer-is-wrong exceptions). 9 stays refused, as in MPS.
    static let powerActions = [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]
    /// MPS's `DMTFPowerExtendedStates`.
    static let bootActions = [100, 101, 104, 200, 201, 202, 203, 300, 301, 400, 401]

    static let all: [Route] = [
        Route("POST", "/amt/power/action/{guid}") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            // MPS's codes as in MPS, plus every code a plugin contributes (a Tether extension).
            let contributed = try await catalogue(plugin).compactMap { $0["code"]?.intValue }
            let allowed = Array(Set(powerActions).union(contributed)).sorted()
            let action = try validAction(body["action"], among: allowed)
            return try await power(plugin, request, action: action, useSOL: nil, what: "Power Action")
        },
        Route("GET", "/power/actions") { plugin, _ throws(RESTResponse) in
            RESTResponse(status: 200, json: .array(try await catalogue(plugin)))
        },
        Route("POST", "/amt/power/bootOptions/{guid}") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            let action = try validAction(body["action"], among: bootActions)
            guard let useSOL = Booleans.parse(body["useSOL"]) else {
                throw RESTResponse.validation([FieldProblem(value: body["useSOL"], msg: "useSOL must be a boolean", path: "useSOL", location: "body")])
            }
            return try await power(plugin, request, action: action, useSOL: useSOL, what: "Boot Setting")
        },
        read("/amt/power/state/{guid}", command: "amt.power.state", what: "Power State", shape: MPSShapes.powerState),
        read("/amt/power/capabilities/{guid}", command: "amt.power.capabilities", what: "Power Capabilities", shape: MPSShapes.powerCapabilities),
        read("/amt/version/{guid}", command: "amt.version", what: "AMT Version", shape: MPSShapes.version),
        read("/amt/generalSettings/{guid}", command: "amt.generalSettings", what: "General Settings", shape: MPSShapes.generalSettings),
        read("/amt/hardwareInfo/{guid}", command: "amt.hardwareInfo", what: "AMT Hardware Information", shape: MPSShapes.hardwareInfo),
    ]

    /// The power actions plugins contribute: `[{code, name, description, plugin}]`.
    static func catalogue(_ plugin: FrontendRESTPlugin) async throws(RESTResponse) -> [JSONValue] {
        let result = try await plugin.run("power.actions", [:]) { error in .mpsError(503, error.message) }
        return result["actions"]?.arrayValue ?? []
    }

    /// A numeric (or numeric-string) action from `allowed`; 400 naming the valid ones otherwise.
    static func validAction(_ value: JSONValue?, among allowed: [Int]) throws(RESTResponse) -> Int {
        let number = value?.intValue ?? value?.stringValue.flatMap { Int($0) }
        guard let number, allowed.contains(number) else {
            let list = allowed.map(String.init).joined(separator: ", ")
            throw RESTResponse.validation([
                FieldProblem(value: value, msg: "action must be one of: \(list)", path: "action", location: "body")
            ])
        }
        return number
    }

    private static func power(
        _ plugin: FrontendRESTPlugin, _ request: RouteRequest, action: Int, useSOL: Bool?, what: String
    ) async throws(RESTResponse) -> RESTResponse {
        let guid = request.parameter("guid").lowercased()
        var args: [String: JSONValue] = ["guid": .string(guid), "action": .number(action)]
        if let useSOL { args["useSOL"] = .bool(useSOL) }
        let result = try await plugin.run("power.action", .object(args)) { error in
            // MPS answers 200 whatever the device's ReturnValue (e.g. 2 NOT_READY): the power
            // plugin reports a non-zero ReturnValue as a device error carrying the method's result.
            if error.code == "device_error" || error.code == "device_failure" {
                if let detail = error.detail, detail["returnValue"]?.intValue != nil {
                    return RESTResponse(status: 200, json: ["Body": MPSShapes.returnValue(detail)])
                }
                // An ABI 1.0-era plugin that still answers in MPS's shape.
                if let body = error.detail?["Body"], body["ReturnValue"] != nil { return RESTResponse(status: 200, json: ["Body": body]) }
            }
            return ErrorMapping.amt(error, guid: guid, what: what)
        }
        return RESTResponse(status: 200, json: MPSShapes.powerAction(result))
    }

    private static func read(
        _ template: String, command: String, what: String, shape: @escaping @Sendable (JSONValue) -> JSONValue
    ) -> Route {
        Route("GET", template) { plugin, request throws(RESTResponse) in
            let guid = request.parameter("guid").lowercased()
            let result = try await plugin.run(command, ["guid": .string(guid)]) { ErrorMapping.amt($0, guid: guid, what: what) }
            return RESTResponse(status: 200, json: shape(result))
        }
    }
}
