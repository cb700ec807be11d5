import TetherPluginKit

/// The OpenAPI 3.0 description of every route this front end serves (paths relative to the
/// mount, `servers` = `/api/v1`). Written by hand, independently of the route table; a test
/// checks that the two agree.
enum OpenAPIDocument {
    static let document: JSONValue = [
        "openapi": "3.0.3",
        "info": [
            "title": "Tether REST API (Open AMT compatible)", "version": "1.0.0",
            "description": "MPS device and power routes and RPS admin routes, served by the io.tether.frontend-rest plugin.",
        ],
        "servers": [["url": "/api/v1"]],
        "security": [["bearerAuth": []]],
        "components": [
            "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
            "schemas": [
                "Error": object(["error": string, "errorDescription": string, "message": string]),
                "ValidationErrors": object([
                    "errors": .object(["type": "array", "items": object(["type": string, "value": [:], "msg": string, "path": string, "location": string])])
                ]),
                "Device": object([
                    "guid": string, "hostname": string, "friendlyName": string, "tags": stringArray, "mpsInstance": string,
                    "connectionStatus": boolean, "mpsusername": string, "tenantId": string, "dnsSuffix": string,
                    "lastConnected": string, "lastSeen": string, "lastDisconnected": string, "deviceInfo": [:],
                ]),
                "DeviceWrite": object([
                    "guid": string, "hostname": string, "friendlyName": string, "tags": stringArray, "mpsusername": string,
                    "mpsPassword": writeOnly, "amtPassword": writeOnly, "dnsSuffix": string, "deviceInfo": [:],
                ]),
                "PowerAction": object(["action": integer, "useSOL": boolean]),
                "PowerActionResult": object(["Header": [:], "Body": object(["ReturnValue": integer, "ReturnValueStr": string])]),
                "CIRAConfig": object([
                    "configName": string, "mpsServerAddress": string, "mpsPort": integer, "username": string, "password": writeOnly,
                    "commonName": string, "serverAddressFormat": integer, "authMethod": integer, "mpsRootCertificate": string,
                    "proxyDetails": string, "tenantId": string, "version": string, "regeneratePassword": boolean,
                ]),
                "Profile": object([
                    "profileName": string, "activation": string, "amtPassword": writeOnly, "mebxPassword": writeOnly,
                    "generateRandomPassword": boolean, "generateRandomMEBxPassword": boolean, "ciraConfigName": string,
                    "dhcpEnabled": boolean, "tags": stringArray, "userConsent": string, "iderEnabled": boolean, "kvmEnabled": boolean,
                    "solEnabled": boolean, "tlsMode": integer, "tenantId": string, "version": string,
                    "wifiConfigs": .object(["type": "array", "items": object(["profileName": string, "priority": integer])]),
                    "ieee8021xProfileName": string, "ipSyncEnabled": boolean, "localWifiSyncEnabled": boolean,
                ]),
                "WirelessConfig": object([
                    "profileName": string, "authenticationMethod": integer, "encryptionMethod": integer, "ssid": string,
                    "pskPassphrase": writeOnly, "pskValue": integer, "linkPolicy": .object(["type": "array", "items": integer]),
                    "ieee8021xProfileName": string, "tenantId": string, "version": string,
                ]),
                "IEEE8021xConfig": object([
                    "profileName": string, "authenticationProtocol": integer, "serverName": string, "domain": string,
                    "username": string, "password": writeOnly, "roamingIdentity": string, "activeInS0": boolean,
                    "pxeTimeout": integer, "wiredInterface": boolean, "tenantId": string, "version": string,
                ]),
                "Domain": object([
                    "profileName": string, "domainSuffix": string, "provisioningCert": writeOnly, "provisioningCertPassword": writeOnly,
                    "provisioningCertStorageFormat": string, "expirationDate": string, "tenantId": string, "version": string,
                ]),
            ],
        ],
        "paths": .object(paths),
    ]

    static var paths: [String: JSONValue] {
        var paths: [String: JSONValue] = [
            "/authorize": [
                "post": operation(
                    "Issue a bearer token (JWT, HS256) for the administrator", public: true,
                    body: object(["username": string, "password": string]),
                    responses: [
                        "200": json(object(["token": string])), "400": ref("ValidationErrors"), "401": ref("Error"),
                        "413": ref("Error"), "429": ref("Error"),
                    ])
            ],
            "/logout": ["post": operation("Revoke the bearer token of this request", responses: ["200": json([:]), "401": ref("Error")])],
            "/health": ["get": operation("Store and secret store health", public: true, responses: ["200": json([:]), "503": json([:])])],
            "/version": ["get": operation("Service version", public: true, responses: ["200": json(object(["serviceVersion": string]))])],
            "/admin/health": ["get": operation("Store and secret store health (RPS)", public: true, responses: ["200": json([:]), "503": json([:])])],
            "/admin/version": [
                "get": operation("Service and RPC protocol version (RPS)", public: true, responses: ["200": json(object(["serviceVersion": string, "protocolVersion": string]))])
            ],
            "/openapi.json": ["get": operation("This document", public: true, responses: ["200": json([:])])],
            "/devices": [
                "get": operation(
                    "List devices", query: ["$top", "$skip", "$count", "tags", "method", "hostname", "friendlyName", "status"],
                    responses: ["200": json(.object(["type": "array", "items": schemaRef("Device")])), "400": ref("ValidationErrors")]),
                "post": operation(
                    "Register a device (credentials are write-only)", body: schemaRef("DeviceWrite"),
                    responses: ["201": ref("Device"), "400": ref("ValidationErrors")]),
                "patch": operation(
                    "Update a device", body: schemaRef("DeviceWrite"), responses: ["200": ref("Device"), "404": ref("Error")]),
            ],
            "/devices/stats": [
                "get": operation("Device counts", responses: ["200": json(object(["totalCount": integer, "connectedCount": integer, "disconnectedCount": integer]))])
            ],
            "/devices/tags": ["get": operation("Distinct device tags", responses: ["200": json(stringArray)])],
            "/devices/{guid}": [
                "get": operation("One device", path: ["guid"], responses: ["200": ref("Device"), "400": ref("ValidationErrors"), "404": ref("Error")]),
                "delete": operation("Delete a device and its credentials", path: ["guid"], query: ["isSecretToBeDeleted"], responses: ["204": empty, "404": ref("Error")]),
            ],
            "/devices/disconnect/{guid}": [
                "delete": operation("Close a device's CIRA connection", path: ["guid"], responses: ["200": json(object(["success": integer, "description": string])), "404": ref("Error")])
            ],
            "/ciracert": [
                "get": operation("The MPS root certificate (PEM)", responses: ["200": ["description": "PEM text", "content": ["text/plain": ["schema": string]]]])
            ],
            "/amt/power/action/{guid}": [
                "post": operation(
                    "Power action: MPS's codes (2 up, 5 cycle, 8 down, 10 reset, …) or any code a plugin contributes (GET /power/actions)",
                    path: ["guid"], body: schemaRef("PowerAction"),
                    responses: [
                        "200": ref("PowerActionResult"), "400": ref("ValidationErrors"), "404": ref("Error"), "500": ref("Error"),
                        "504": ref("Error"),
                    ])
            ],
            "/power/actions": [
                "get": operation(
                    "Every power action in the catalogue (a Tether extension): code, name, description and the plugin that runs it",
                    responses: [
                        "200": json(.object([
                            "type": "array", "items": object(["code": integer, "name": string, "description": string, "plugin": string]),
                        ]))
                    ])
            ],
            "/amt/power/bootOptions/{guid}": [
                "post": operation(
                    "Boot option action (100 BIOS, 101 reset to BIOS, 400/401 PXE, …)", path: ["guid"], body: schemaRef("PowerAction"),
                    responses: ["200": ref("PowerActionResult"), "400": ref("ValidationErrors"), "404": ref("Error"), "500": ref("Error")])
            ],
        ]
        for (path, summary) in [
            ("/amt/power/state/{guid}", "Current power state ({powerstate})"),
            ("/amt/power/capabilities/{guid}", "Supported power actions"),
            ("/amt/version/{guid}", "AMT version (CIM_SoftwareIdentity, AMT_SetupAndConfigurationService)"),
            ("/amt/generalSettings/{guid}", "AMT_GeneralSettings"),
            ("/amt/hardwareInfo/{guid}", "Hardware inventory"),
        ] {
            paths[path] = ["get": operation(summary, path: ["guid"], responses: ["200": json([:]), "404": ref("Error"), "500": ref("Error")])]
        }
        for (path, method, summary) in MaintenanceRoutes.documented {
            var item = paths[path]?.objectValue ?? [:]
            item[method] = operation(summary, path: ["guid"], query: path.hasPrefix("/amt/log/audit") ? ["startIndex"] : [],
                                     responses: ["200": json([:]), "400": ref("Error"), "404": ref("Error"), "500": ref("Error")])
            paths[path] = .object(item)
        }
        for (resource, schema, key) in [("ciraconfigs", "CIRAConfig", "configName"), ("profiles", "Profile", "profileName"), ("domains", "Domain", "domainName"),
            ("wirelessconfigs", "WirelessConfig", "profileName"), ("ieee8021xconfigs", "IEEE8021xConfig", "profileName")] {
            paths["/admin/\(resource)"] = [
                "get": operation(
                    "List \(resource)", query: ["$top", "$skip", "$count"],
                    responses: ["200": json(.object(["type": "array", "items": schemaRef(schema)])), "400": ref("ValidationErrors")]),
                "post": operation("Create", body: schemaRef(schema), responses: ["201": ref(schema), "400": ref("ValidationErrors")]),
                "patch": operation(
                    "Update (send the current version; a stale one gives 409, or 412 with If-Match)", body: schemaRef(schema),
                    responses: ["200": ref(schema), "400": ref("ValidationErrors"), "404": ref("Error"), "409": ref(schema), "412": ref(schema)]),
            ]
            paths["/admin/\(resource)/{\(key)}"] = [
                "get": operation("One of \(resource)", path: [key], responses: ["200": ref(schema), "404": ref("Error")]),
                "delete": operation("Delete", path: [key], responses: ["204": empty, "400": ref("Error"), "404": ref("Error")]),
            ]
        }
        paths.merge(JobRoutes.openAPIPaths) { existing, _ in existing }
        paths.merge(ActivationRoutes.openAPIPaths) { current, _ in current }
        return paths
    }

    // MARK: Building blocks

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let writeOnly: JSONValue = ["type": "string", "writeOnly": true]
    static let stringArray: JSONValue = ["type": "array", "items": ["type": "string"]]
    static let empty: JSONValue = ["description": "No content"]

    static func object(_ properties: [String: JSONValue]) -> JSONValue {
        ["type": "object", "properties": .object(properties)]
    }

    static func schemaRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func json(_ schema: JSONValue) -> JSONValue {
        ["description": "JSON", "content": ["application/json": ["schema": schema]]]
    }

    static func ref(_ name: String) -> JSONValue { json(schemaRef(name)) }

    static func operation(
        _ summary: String, public isPublic: Bool = false, path: [String] = [], query: [String] = [], body: JSONValue? = nil,
        responses: [String: JSONValue]
    ) -> JSONValue {
        var object: [String: JSONValue] = ["summary": .string(summary), "responses": .object(responses)]
        if isPublic { object["security"] = [] }
        var responsesWith401 = responses
        if !isPublic { responsesWith401["401"] = ref("Error") }
        object["responses"] = .object(responsesWith401)
        let parameters =
            path.map { JSONValue.object(["name": .string($0), "in": "path", "required": true, "schema": string]) }
            + query.map { JSONValue.object(["name": .string($0), "in": "query", "required": false, "schema": string]) }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if let body { object["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
        return .object(object)
    }
}
