import Foundation
import PluginHost
import TetherJSON

extension TetherHost {
    /// Registers `http.request`: the outbound HTTP facility plugins use (all wire code stays in
    /// the host). `{method, url (http://), headers?: {name: value}, body?: string | body_base64?,
    /// timeoutMs? (10000, ≤ 60000), signature?: {secret, header, prefix?}}` → `{status, headers,
    /// body_base64}`. With `signature`, the host adds `header: prefix + hex(HMAC-SHA256(body, secret))`
    /// so plugins need no crypto; the secret is never logged or returned. Transport failures are
    /// `unavailable` (refused, unreachable, malformed answer) or `timeout`.
    func registerOutboundHTTP() {
        let client = OutboundHTTPClient()
        bus.register(
            name: "http.request",
            summary: "Outbound HTTP/1.1 request {method, url, headers?, body?|body_base64?, timeoutMs?, signature?: {secret, header, prefix?}} → {status, headers, body_base64}",
            provider: "host"
        ) { args in
            let request = try Self.outboundRequest(args)
            do {
                let response = try await client.send(request)
                var headers: [String: JSONValue] = [:]
                for field in response.headers { headers[field.name.lowercased()] = .string(field.value) }
                return ["status": .number(response.status), "headers": .object(headers), "body_base64": .string(Data(response.body).base64EncodedString())]
            } catch let error as OutboundHTTPClient.Failure {
                throw CommandError(error.kind == .timeout ? .timeout : .unavailable, error.description, detail: ["reason": .string(error.kind.rawValue)])
            }
        }
    }

    static let outboundMethods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
    static let maxOutboundBody = 1 << 20

    static func outboundRequest(_ args: JSONValue) throws(CommandError) -> OutboundHTTPClient.Request {
        let method = (args["method"]?.stringValue ?? "POST").uppercased()
        guard outboundMethods.contains(method) else { throw CommandError(.badRequest, "http.request: unsupported method '\(method)'") }
        guard let text = args["url"]?.stringValue, let url = URL(string: text), url.scheme?.lowercased() == "http", url.host?.isEmpty == false else {
            throw CommandError(.badRequest, "http.request needs 'url': an http:// URL with a host")
        }
        var body: [UInt8] = []
        if let encoded = args["body_base64"]?.stringValue {
            guard let data = Data(base64Encoded: encoded) else { throw CommandError(.badRequest, "http.request: 'body_base64' is not base64") }
            body = Array(data)
        } else if let text = args["body"]?.stringValue {
            body = Array(text.utf8)
        }
        guard body.count <= maxOutboundBody else { throw CommandError(.badRequest, "http.request: the body exceeds \(maxOutboundBody) bytes") }
        var headers: [(String, String)] = []
        for (name, value) in args["headers"]?.objectValue ?? [:] {
            guard let value = value.stringValue, isToken(name), isOneLine(value) else {
                throw CommandError(.badRequest, "http.request: header '\(name)' is not a valid name with a one-line string value")
            }
            headers.append((name, value))
        }
        if let signature = args["signature"] {
            guard let secret = signature["secret"]?.stringValue, !secret.isEmpty, let header = signature["header"]?.stringValue, isToken(header) else {
                throw CommandError(.badRequest, "http.request: 'signature' needs {secret, header, prefix?}")
            }
            let prefix = signature["prefix"]?.stringValue ?? ""
            guard isOneLine(prefix) else { throw CommandError(.badRequest, "http.request: bad signature prefix") }
            let mac = SHA256Digest.hmac(key: Array(secret.utf8), message: body)
            headers.append((header, prefix + mac.map { String(format: "%02x", $0) }.joined()))
        }
        let milliseconds = args["timeoutMs"]?.intValue ?? 10_000
        guard (1...60_000).contains(milliseconds) else { throw CommandError(.badRequest, "http.request: 'timeoutMs' must be 1–60000") }
        return OutboundHTTPClient.Request(method: method, url: url, headers: headers, body: body, timeout: .milliseconds(milliseconds))
    }

    /// No CR, LF or NUL byte (checked on bytes: Swift's `Character` treats "\r\n" as one).
    static func isOneLine(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// An RFC 9110 token (header field name).
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 256
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0)) }
    }
}
