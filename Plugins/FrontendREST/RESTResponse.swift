import Foundation
import TetherPluginKit

/// A response in the making; `reply` is the `tether.frontend.http/1` reply format.
/// Thrown as an error to short-circuit a handler with an HTTP error.
struct RESTResponse: Error, Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var json: JSONValue?
    var text: String?

    init(status: Int, json: JSONValue? = nil, headers: [String: String] = [:]) {
        self.status = status
        self.json = json
        self.headers = headers
    }

    init(status: Int, text: String, contentType: String) {
        self.status = status
        self.text = text
        self.headers = ["content-type": contentType]
    }

    /// The reply object handed back to the host.
    var reply: JSONValue {
        var object: [String: JSONValue] = [
            "status": .number(status), "headers": .object(headers.mapValues(JSONValue.string)),
        ]
        if let json { object["body_json"] = json }
        if let text { object["body_base64"] = .string(Data(text.utf8).base64EncodedString()) }
        return .object(object)
    }

    // MARK: Open AMT error shapes (see README "REST API": error bodies)

    /// MPS `ErrorResponse`: `{"error": <HTTP table text>, "errorDescription": …}`.
    static func mpsError(_ status: Int, _ description: String?, error: String? = nil) -> RESTResponse {
        let text = error ?? mpsErrorTable[status] ?? "Internal Server Error"
        var body: [String: JSONValue] = ["error": .string(text)]
        if let description { body["errorDescription"] = .string(description) }
        return RESTResponse(status: status, json: .object(body))
    }

    static func badRequest(_ description: String) -> RESTResponse { mpsError(400, description) }

    /// The MPS "device not connected" 404.
    static func deviceNotFound(_ guid: String) -> RESTResponse {
        mpsError(404, "guid : \(guid)", error: "Device not found/connected. Please connect again using CIRA.")
    }

    /// express-validator shape: `{"errors":[{type,value,msg,path,location}]}`.
    static func validation(_ errors: [FieldProblem]) -> RESTResponse {
        RESTResponse(status: 400, json: ["errors": .array(errors.map(\.json))])
    }

    /// RPS/MPS record errors: `{"error": name, "message": text}`.
    static func named(_ status: Int, _ error: String, _ message: String) -> RESTResponse {
        RESTResponse(status: status, json: ["error": .string(error), "message": .string(message)])
    }

    static let unauthorized = mpsError(401, "Unauthorized").with(header: "www-authenticate", "Bearer")
    static let notFound = named(404, "Not Found", "no such route")

    static let mpsErrorTable: [Int: String] = [
        400: "Incorrect URI or Bad Request", 401: "Unauthorized", 404: "Not Found", 408: "Timeout Error",
        500: "Internal Server Error", 503: "Service Unavailable", 504: "Timeout Error",
    ]

    func with(header name: String, _ value: String) -> RESTResponse {
        var copy = self
        copy.headers[name] = value
        return copy
    }
}

/// One express-validator style field error.
struct FieldProblem: Sendable {
    var value: JSONValue?
    var msg: String
    var path: String
    var location: String

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "type": "field", "msg": .string(msg), "path": .string(path), "location": .string(location),
        ]
        // express-validator echoes the submitted value; Tether never echoes a secret.
        if let value, !Self.isSecret(path) { object["value"] = value }
        return .object(object)
    }

    /// Field names that carry secrets (passwords, keys, provisioning certificates). Flags such as
    /// `generateRandomPassword` are not secrets and keep the peer's echo.
    static let secretFields: Set<String> = [
        "password", "amtpassword", "mebxpassword", "mpspassword", "provisioningcert", "provisioningcertpassword",
        "psk", "pskvalue", "pskpassphrase", "privatekey", "sharedsecret",
    ]

    static func isSecret(_ path: String) -> Bool {
        secretFields.contains(path.lowercased())
    }
}
