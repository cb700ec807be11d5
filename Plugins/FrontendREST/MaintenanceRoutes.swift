import TetherPluginKit

/// MPS device-maintenance routes (shared/reference/mps-api.md §2.2–2.3): audit and event logs, alarm clock,
/// user consent, AMT features, deactivate, redirection status and refresh. Each runs one host
/// command (`amt.*`, `devices.*`); this file only validates the MPS request shapes and maps the
/// answers to MPS's statuses and bodies.
enum MaintenanceRoutes {
    static let all: [Route] = [
        Route("GET", "/authorize/redirection/{guid}") { plugin, request throws(RESTResponse) in
            let result = try await plugin.run("auth.redirection", ["guid": .string(request.parameter("guid"))]) { error in
                switch error.code {
                case "bad_request":
                    return .validation([FieldProblem(value: .string(request.parameter("guid")), msg: "Invalid value", path: "guid", location: "params")])
                case "not_found": return RESTResponse(status: 404)  // MPS: an empty 404
                default: return ErrorMapping.record(error)
                }
            }
            return RESTResponse(status: 200, json: ["token": result["token"] ?? .null])
        },
        Route("GET", "/amt/log/audit/{guid}") { plugin, request throws(RESTResponse) in
            var args = guidArgs(request)
            if let start = request.exchange.query["startIndex"] {
                guard let number = Double(start), number >= 0, number.rounded(.down) == number, number < 1e9 else {
                    throw RESTResponse.validation([FieldProblem(value: .string(start), msg: "startIndex must be an integer 0 or more", path: "startIndex", location: "query")])
                }
                args["startIndex"] = .number(Int(number))
            }
            return try await run(plugin, "amt.log.audit", args, request, what: "AMT AuditLog", shape: MPSShapes.auditLog)
        },
        Route("GET", "/amt/log/event/{guid}") { plugin, request throws(RESTResponse) in
            try await run(plugin, "amt.log.event", guidArgs(request), request, what: "AMT EventLog", shape: MPSShapes.eventLog)
        },
        Route("GET", "/amt/alarmOccurrences/{guid}") { plugin, request throws(RESTResponse) in
            try await run(plugin, "amt.alarms.list", guidArgs(request), request, what: "Alarm occurrences", shape: MPSShapes.alarms)
        },
        Route("POST", "/amt/alarmOccurrences/{guid}") { plugin, request throws(RESTResponse) in
            var args = guidArgs(request)
            for (key, value) in try request.exchange.jsonObject() where key != "guid" { args[key] = value }
            let guid = guid(request)
            _ = try await plugin.run("amt.alarms.add", .object(args)) { error in
                switch error.code {
                case "conflict": return .badRequest("Alarm add request quota exceeded for guid : \(guid).")
                case "bad_request": return .badRequest("Alarm add request invalid parameters for guid : \(guid). \(error.message)")
                default: return ErrorMapping.amt(error, guid: guid, what: "Alarm add")
                }
            }
            return RESTResponse(status: 200, json: ["status": "SUCCESS", "ReturnValue": 0])
        },
        Route("DELETE", "/amt/alarmOccurrences/{guid}") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            let guid = guid(request)
            guard let name = body["Name"]?.stringValue, !name.isEmpty else {
                throw RESTResponse.badRequest("Alarm occurrence delete request invalid for guid : \(guid). Send {\"Name\": InstanceID}")
            }
            _ = try await plugin.run("amt.alarms.delete", ["guid": .string(guid), "Name": .string(name)]) { error in
                error.code == "not_found" && error.detail?["alarm"] != nil
                    ? .mpsError(404, "Alarm occurrence delete request failed for guid : \(guid).", error: "Alarm instance not found")
                    : ErrorMapping.amt(error, guid: guid, what: "Alarm delete")
            }
            return RESTResponse(status: 200, json: ["status": "SUCCESS"])
        },
        Route("GET", "/amt/userConsentCode/cancel/{guid}") { plugin, request throws(RESTResponse) in
            try await consent(plugin, "amt.userConsent.cancel", guidArgs(request), request, what: "Cancel User Consent Code")
        },
        Route("GET", "/amt/userConsentCode/{guid}") { plugin, request throws(RESTResponse) in
            try await consent(plugin, "amt.userConsent.request", guidArgs(request), request, what: "Request User Consent Code")
        },
        Route("POST", "/amt/userConsentCode/{guid}") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            let code = body["consentCode"]
            let digits = code?.stringValue ?? code?.intValue.map { String($0) }
            guard let digits, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw RESTResponse.validation([FieldProblem(value: code, msg: "consentCode must be numeric", path: "consentCode", location: "body")])
            }
            var args = guidArgs(request)
            args["consentCode"] = code
            return try await consent(plugin, "amt.userConsent.send", args, request, what: "Send User Consent Code")
        },
        Route("GET", "/amt/features/{guid}") { plugin, request throws(RESTResponse) in
            try await run(plugin, "amt.features.get", guidArgs(request), request, what: "AMT Features", shape: MPSShapes.features)
        },
        Route("POST", "/amt/features/{guid}") { plugin, request throws(RESTResponse) in
            let body = try request.exchange.jsonObject()
            var problems: [FieldProblem] = []
            var args = guidArgs(request)
            if let consent = body["userConsent"]?.stringValue, ["kvm", "all", "none"].contains(consent.lowercased()) {
                args["userConsent"] = .string(consent.lowercased())
            } else {
                problems.append(FieldProblem(value: body["userConsent"], msg: "userConsent must be one of kvm, all, none", path: "userConsent", location: "body"))
            }
            for key in ["enableSOL", "enableIDER", "enableKVM"] {
                if let flag = Booleans.parse(body[key]) {
                    args[key] = .bool(flag)
                } else {
                    problems.append(FieldProblem(value: body[key], msg: "\(key) must be a boolean", path: key, location: "body"))
                }
            }
            if !problems.isEmpty { throw RESTResponse.validation(problems) }
            return try await run(plugin, "amt.features.set", args, request, what: "AMT Features Set") { _ in
                ["status": "AMT Features updated"]
            }
        },
        Route("DELETE", "/amt/deactivate/{guid}") { plugin, request throws(RESTResponse) in
            let guid = guid(request)
            _ = try await plugin.run("amt.deactivate", .object(guidArgs(request))) { error in
                // MPS answers a refused Unprovision with 200 and the method's output.
                if error.code == "device_error", let detail = error.detail, detail["returnValue"] != nil {
                    return RESTResponse(status: 200, json: MPSShapes.returnValue(detail))
                }
                return ErrorMapping.amt(error, guid: guid, what: "unprovision")
            }
            return RESTResponse(status: 200, json: ["status": "SUCCESS"])
        },
        Route("GET", "/devices/redirectstatus/{guid}") { plugin, request throws(RESTResponse) in
            let guid = guid(request)
            let result = try await plugin.run("devices.redirectstatus", .object(guidArgs(request))) { error in
                error.code == "not_found" ? .deviceNotFound(guid) : .mpsError(500, "Exception during Redirect Status")
            }
            return RESTResponse(status: 200, json: result)
        },
        Route("DELETE", "/devices/refresh/{guid}") { plugin, request throws(RESTResponse) in
            let guid = guid(request)
            _ = try await plugin.run("devices.refresh", .object(guidArgs(request))) { error in
                error.code == "not_found" ? .deviceNotFound(guid) : .mpsError(500, "Exception during Device Refresh")
            }
            return RESTResponse(status: 200, json: ["success": 200, "description": .string("Device info refreshed : \(guid)")])
        },
    ]

    static func guid(_ request: RouteRequest) -> String { request.parameter("guid").lowercased() }

    static func guidArgs(_ request: RouteRequest) -> [String: JSONValue] { ["guid": .string(guid(request))] }

    /// Runs a device command; its neutral result in MPS's `shape`, failures in the MPS shapes
    /// (`bad_request` → 400 naming the request).
    static func run(
        _ plugin: FrontendRESTPlugin, _ command: String, _ args: [String: JSONValue], _ request: RouteRequest, what: String,
        shape: (JSONValue) -> JSONValue
    ) async throws(RESTResponse) -> RESTResponse {
        let guid = guid(request)
        let result = try await plugin.run(command, .object(args)) { error in
            error.code == "device_error"
                ? .mpsError(500, "\(what) request failed for guid : \(guid). \(error.message)")
                : ErrorMapping.amt(error, guid: guid, what: what)
        }
        return RESTResponse(status: 200, json: shape(result))
    }

    /// User consent calls: MPS answers a non-zero ReturnValue with 400 and the same body.
    static func consent(
        _ plugin: FrontendRESTPlugin, _ command: String, _ args: [String: JSONValue], _ request: RouteRequest, what: String
    ) async throws(RESTResponse) -> RESTResponse {
        let guid = guid(request)
        let result = try await plugin.run(command, .object(args)) { error in
            if error.code == "device_error", let detail = error.detail, detail["returnValue"] != nil {
                return RESTResponse(status: 400, json: MPSShapes.methodReply(detail))
            }
            return ErrorMapping.amt(error, guid: guid, what: what)
        }
        return RESTResponse(status: 200, json: MPSShapes.methodReply(result))
    }
}

extension MaintenanceRoutes {
    /// The OpenAPI entries of these routes: (path, lower-case method, summary).
    static let documented: [(String, String, String)] = [
        ("/authorize/redirection/{guid}", "get", "A 5-minute token for the device's redirection session (KVM/SOL/IDER)"),
        ("/amt/log/audit/{guid}", "get", "Security audit log, newest first, decoded ({totalCnt, records}); startIndex skips the newest"),
        ("/amt/log/event/{guid}", "get", "Event log, decoded"),
        ("/amt/alarmOccurrences/{guid}", "get", "Alarm clock occurrences (with InternalInMinutes)"),
        ("/amt/alarmOccurrences/{guid}", "post", "Add an alarm {ElementName, StartTime, Interval?, DeleteOnCompletion?} (at most 5)"),
        ("/amt/alarmOccurrences/{guid}", "delete", "Delete an alarm {Name}"),
        ("/amt/userConsentCode/{guid}", "get", "Request user consent (the device shows a code)"),
        ("/amt/userConsentCode/{guid}", "post", "Send the user consent code {consentCode}"),
        ("/amt/userConsentCode/cancel/{guid}", "get", "Cancel a user consent request"),
        ("/amt/features/{guid}", "get", "Redirection features and consent policy"),
        ("/amt/features/{guid}", "post", "Set redirection features {userConsent, enableSOL, enableIDER, enableKVM}; every step checked"),
        ("/amt/deactivate/{guid}", "delete", "Unprovision (CCM); the device record is removed only on success"),
        ("/devices/redirectstatus/{guid}", "get", "Open redirection sessions"),
        ("/devices/refresh/{guid}", "delete", "Re-read a connected device's credentials"),
    ]
}
