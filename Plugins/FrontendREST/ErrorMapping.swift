import TetherPluginKit

/// Host command failures → Open AMT status codes and error bodies.
///
/// The admin commands describe the peer's answer in `detail`: an array of `{field, message}`
/// for validation failures, or `{httpStatus, error, current?, version?}` otherwise.
enum ErrorMapping {
    /// Errors of record commands (`ciraconfigs.*`, `profiles.*`, `domains.*`, `devices.*`).
    static func record(_ error: HostCommandError, body: [String: JSONValue] = [:], ifMatch: Bool = false) -> RESTResponse {
        if let problems = error.detail?.arrayValue {
            return .validation(
                problems.map { item in
                    let field = item["field"]?.stringValue ?? item["path"]?.stringValue ?? ""
                    return FieldProblem(
                        value: body[field], msg: item["message"]?.stringValue ?? item["msg"]?.stringValue ?? "Invalid value",
                        path: field, location: field.hasPrefix("$") ? "query" : (body[field] == nil && field == "guid" ? "params" : "body"))
                })
        }
        if let detail = error.detail, var status = detail["httpStatus"]?.intValue {
            if status == 409, ifMatch { status = 412 }
            if status == 409 || status == 412, let current = detail["current"] {
                var headers: [String: String] = [:]
                if let version = detail["version"]?.stringValue ?? detail["version"]?.intValue.map(String.init) { headers["etag"] = version }
                return RESTResponse(status: status, json: current, headers: headers)
            }
            return .named(status, detail["error"]?.stringValue ?? defaultName(status), error.message)
        }
        let status = status(for: error.code)
        return .named(status, defaultName(status), error.message)
    }

    /// Errors of device operations (`amt.*`, `power.action`): the MPS shapes.
    static func amt(_ error: HostCommandError, guid: String, what: String) -> RESTResponse {
        switch error.code {
        case "not_found": return .deviceNotFound(guid)
        case "bad_request": return .mpsError(400, "\(what) request failed for guid : \(guid). \(error.message)")
        case "timeout": return .mpsError(504, "\(what) request timed out for guid : \(guid).")
        case "unavailable": return .mpsError(503, error.message)
        // The device refused the stored AMT credentials: not the API caller's fault, so no 401.
        case "unauthorized": return .mpsError(500, "Exception during \(what) request: the device refused the stored credentials")
        default: return .mpsError(500, "Exception during \(what) request")
        }
    }

    static func status(for code: String) -> Int {
        switch code {
        case "bad_request": return 400
        case "unauthorized": return 401
        case "not_found": return 404
        case "conflict": return 409
        case "unavailable": return 503
        case "timeout": return 504
        default: return 500
        }
    }

    static func defaultName(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 412: return "Precondition Failed"
        case 503: return "Service Unavailable"
        case 504: return "Timeout Error"
        default: return "Internal Server Error"
        }
    }
}
