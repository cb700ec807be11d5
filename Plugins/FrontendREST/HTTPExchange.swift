import Foundation
import TetherPluginKit

/// One HTTP request as the host delivers it (`{"op":"http.request",…}`), with the path split
/// into percent-decoded segments relative to the mount.
struct HTTPExchange: Sendable {
    var method: String
    /// Segments below the mount, percent-decoded (`%2F` stays inside its segment).
    var segments: [String]
    var query: [String: String]
    var headers: [String: String]
    var body: [UInt8]
    /// The client's address, as the host saw it.
    var remoteAddress: String?
    /// The claims of the bearer token the host verified before delivering the request.
    var principal: JSONValue?

    /// Parses the host's request; throws a 400 response for undecodable paths or queries.
    init(request: JSONValue) throws(RESTResponse) {
        guard let method = request["method"]?.stringValue, let path = request["path"]?.stringValue else {
            throw RESTResponse.badRequest("the request lacks a method or a path")
        }
        self.method = method.uppercased()
        let mount = request["mount"]?.stringValue ?? ""
        var relative = Substring(path)
        if !mount.isEmpty, path.lowercased().hasPrefix(mount.lowercased()) {
            relative = relative.dropFirst(mount.count)
        }
        var segments: [String] = []
        for raw in relative.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = Self.percentDecode(raw, plusIsSpace: false) else {
                throw RESTResponse.badRequest("the path has an invalid percent-encoding")
            }
            segments.append(decoded)
        }
        self.segments = segments
        var query: [String: String] = [:]
        for pair in (request["query"]?.stringValue ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecode(parts[0], plusIsSpace: true),
                let value = Self.percentDecode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else { throw RESTResponse.badRequest("the query has an invalid percent-encoding") }
            if query[name] == nil { query[name] = value }
        }
        self.query = query
        self.headers = (request["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let encodedBody = request["body_base64"]?.stringValue ?? ""
        if encodedBody.isEmpty {
            self.body = []
        } else {
            guard let body = Data(base64Encoded: encodedBody) else {
                throw RESTResponse.badRequest("the request body is not base64")
            }
            self.body = Array(body)
        }
        self.remoteAddress = request["remoteAddress"]?.stringValue
        self.principal = request["principal"].flatMap { $0.objectValue == nil ? nil : $0 }
    }

    /// The header `name` (lower case).
    func header(_ name: String) -> String? { headers[name] }

    /// The body as a JSON object; 400 (MPS shape) when it is not JSON or not an object.
    func jsonObject() throws(RESTResponse) -> [String: JSONValue] {
        if body.isEmpty { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw RESTResponse.badRequest("Malformed JSON in the request body")
        }
        guard var object = value.objectValue else { throw RESTResponse.badRequest("the request body must be a JSON object") }
        // The audit actor is who the token says, never what the body claims.
        object["actor"] = principal?["sub"]?.stringValue.map { .string($0) }
        return object
    }

    /// Strict percent-decoding to UTF-8; nil for `%` not followed by two hex digits, or bad UTF-8.
    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String? {
        // The usual segment: plain ASCII, nothing to decode (no copy, no validation pass).
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "%") && !(plusIsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
            default: bytes.append(byte)
            }
        }
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
