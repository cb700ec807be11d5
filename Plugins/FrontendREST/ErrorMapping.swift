import TetherPluginKit

/// Host command failures (the neutral vocabulary of the ABI header) → Open AMT status codes,
/// error names and body shapes. This is the only place that knows them.
///
/// The admin commands say what went wrong with the code plus, where needed, `detail`: an array
/// of `{field, message}` for validation failures, `reason` (`duplicate`, `in_use`,
/// `invalid_reference`, `stale_version`), `entity`, and `current`/`version` for stale versions.
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
        let detail = error.detail
        // Errors built before the neutral vocabulary (ABI 1.0 plugins, older branches) may still
        // name the peer's status; honour it rather than guess.
        if let status = detail?["httpStatus"]?.intValue, (400...599).contains(status) {
            return .named(status, detail?["error"]?.stringValue ?? defaultName(status), error.message)
        }
        switch (error.code, detail?["reason"]?.stringValue) {
        case ("conflict", "duplicate"): return .named(400, "Unique key violation", error.message)
        case ("conflict", "in_use"): return .named(400, "Foreign key violation", error.message)
        case ("bad_request", "invalid_reference"): return .named(400, "Foreign key constraint violation", error.message)
        case ("conflict", "stale_version"):
            // Open AMT: 409 (412 for a failed If-Match) with the stored record as the body.
            let status = ifMatch ? 412 : 409
            guard let current = detail?["current"] else { return .named(status, "Conflict", error.message) }
            var headers: [String: String] = [:]
            if let version = detail?["version"]?.stringValue ?? detail?["version"]?.intValue.map(String.init) { headers["etag"] = version }
            return RESTResponse(status: status, json: current, headers: headers)
        case ("not_found", _):
            return .named(404, detail?["entity"]?.stringValue == "device" ? "NOT FOUND" : "Not Found", error.message)
        default:
            let status = status(for: error.code)
            return .named(status, defaultName(status), error.message)
        }
    }

    /// Errors of device operations (`amt.*`, `power.action`): the MPS shapes.
    static func amt(_ error: HostCommandError, guid: String, what: String) -> RESTResponse {
        switch error.code {
        case "not_found", "not_connected": return .deviceNotFound(guid)
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
        case "not_found", "not_connected": return 404
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
