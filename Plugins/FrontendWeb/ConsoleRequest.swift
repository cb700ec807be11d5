import Foundation
import TetherPluginKit

/// One HTTP request as the host delivers it (`{"op":"http.request",…}`), seen from the
/// console: the path below the mount, the headers, the cookies and the body.
struct ConsoleRequest: Sendable {
    var method: String
    /// The path below the mount, starting with `/` (`/` for the mount itself), still encoded.
    var relativePath: String
    /// The mount with a trailing slash (`/` or `/console/`): the base of every link.
    var base: String
    /// True for `/console` when mounted at `/console` (redirected to `/console/`).
    var isMountWithoutSlash: Bool
    var headers: [String: String]
    var body: [UInt8]

    /// Nil when the host's request lacks a method or path, or its body is not base64.
    init?(request: JSONValue) {
        guard let method = request["method"]?.stringValue, let path = request["path"]?.stringValue,
            let body = Data(base64Encoded: request["body_base64"]?.stringValue ?? "")
        else { return nil }
        self.method = method.uppercased()
        let mount = request["mount"]?.stringValue ?? "/"
        let prefix = mount == "/" ? "" : mount
        var relative = Substring(path)
        if !prefix.isEmpty, path.lowercased().hasPrefix(prefix.lowercased()) { relative = relative.dropFirst(prefix.count) }
        isMountWithoutSlash = relative.isEmpty
        relativePath = relative.isEmpty ? "/" : String(relative)
        base = prefix + "/"
        headers = (request["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        self.body = Array(body)
    }

    /// The header `name` (lower case).
    func header(_ name: String) -> String? { headers[name] }

    /// The value of cookie `name`, from the `Cookie` header.
    func cookie(_ name: String) -> String? {
        guard let header = headers["cookie"] else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The body as a JSON object (`{}` when empty); nil when it is not one.
    func jsonObject() -> [String: JSONValue]? {
        if body.isEmpty { return [:] }
        return (try? JSONValue(parsing: body))?.objectValue
    }
}
