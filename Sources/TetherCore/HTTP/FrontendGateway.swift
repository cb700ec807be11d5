import Foundation
import Hummingbird
import Logging
import NIOCore
import PluginHost
import TetherJSON

/// The HTTP listener's responder: serves `GET /metrics` itself and hands every request under a
/// front-end mount to its plugin as `{"op":"http.request",…}` (see the ABI header, REQUESTS),
/// then turns the plugin's reply into the HTTP response. Thread-safe.
///
/// Request given to the plugin: `method` (upper case), `path` (as received, percent-encoded,
/// without the query), `mount` (the matched prefix), `query` (raw, without `?`; "" when none),
/// `headers` (lower-case name → value; repeated fields joined with ", "), `body_base64`, and
/// `remoteAddress` when known. Reply expected: `{"status": 100–599, "headers": {name: value},
/// "body_base64": "…"}` or `"body_json": <any JSON>` (sent as `application/json` unless the
/// plugin sets `content-type`), or neither for an empty body.
///
/// Every request gets an id (``RequestID``): the client's `X-Request-Id` when it is sane, else
/// a short random one. It is the `requestId` metadata of the access log line and of every line
/// logged while serving the request (``RequestLogContext``), the plugin sees it as the
/// `x-request-id` header, and the response carries it as `X-Request-Id`.
struct FrontendGateway: HTTPResponder {
    typealias Context = GatewayRequestContext

    let mounts: [FrontendMount]
    let plugins: PluginHost
    let metrics: HTTPMetrics
    let maxBodyBytes: Int
    let timeout: Duration
    let logger: Logger
    /// Limits and exposure switches.
    let security: SecuritySettings
    /// Checks bearer tokens for mounts that ask the host to (`FrontendAccess`) and for `/metrics`.
    let tokens: TokenAuthority
    /// Whether this listener serves `GET /metrics` (false when it has a listener of its own).
    let servesMetrics: Bool
    /// Whether this listener speaks HTTPS (adds HSTS).
    let isSecure: Bool
    /// Renders `GET /metrics`.
    let exposition: @Sendable () -> String

    /// The same gateway for another listener.
    func serving(metrics: Bool, secure: Bool, mounts: [FrontendMount]? = nil) -> FrontendGateway {
        FrontendGateway(
            mounts: mounts ?? self.mounts, plugins: plugins, metrics: self.metrics, maxBodyBytes: maxBodyBytes, timeout: timeout,
            logger: logger, security: security, tokens: tokens, servesMetrics: metrics, isSecure: secure, exposition: exposition)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = RequestID.choose(clientValue: request.headers[.xRequestID])
        let path = request.uri.path
        // The host serves /metrics itself (on the listener that serves it), even beside a front
        // end mounted at `/`.
        let isMetrics = servesMetrics && path.lowercased() == "/metrics" && (request.method == .get || request.method == .head)
        let mount = isMetrics ? nil : mounts.first { $0.contains(path: path) }
        var response: Response
        if !hostAllowed(request) {
            response = Self.error(.misdirectedRequest, "Misdirected Request", "this host name is not served here")
        } else if isMetrics {
            if security.metricsRequireToken, principal(of: request) == nil {
                response = Self.error(.unauthorized, "Unauthorized", "a bearer token is required")
                response.headers[.wwwAuthenticate] = "Bearer"
            } else {
                response = Self.text(exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        } else if let mount {
            response = await RequestLogContext.$requestID.withValue(requestID) {
                await forward(request, to: mount, remoteAddress: context.remoteAddress, requestID: requestID)
            }
        } else {
            response = Self.error(.notFound, "Not Found", "no front end is mounted at this path")
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xRequestID] = requestID
        if isSecure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRequest(frontend: mount?.name ?? (path == "/metrics" ? "metrics" : "none"), status: response.status.code, seconds: seconds)
        // Access log: never headers (Authorization), never the query (may carry secrets), never bodies.
        logger.info(
            "http",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path.prefix(256))", "status": "\(response.status.code)",
                "ms": "\(Int(seconds * 1000))", "remote": "\(context.remoteAddress ?? "-")",
                "frontend": "\(mount?.name ?? "-")", "requestId": "\(requestID)",
            ])
        return response
    }

    /// The `Host` check against `SecuritySettings.allowedHosts` (DNS rebinding).
    private func hostAllowed(_ request: Request) -> Bool {
        guard !security.allowedHosts.isEmpty else { return true }
        guard let authority = request.head.authority else { return false }
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            host = host.prefix { $0 != "]" }.dropFirst()
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return security.allowedHosts.contains(String(host))
    }

    /// The claims of the request's valid bearer token, or nil.
    private func principal(of request: Request) -> JSONValue? {
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header) else { return nil }
        guard let claims = try? tokens.verify(token) else { return nil }
        // A redirection token (deviceId = one device's GUID) is not an API principal. (Not a
        // ternary: `nil` there would become `JSONValue.null`, a non-nil principal.)
        guard claims["deviceId"]?.stringValue == "*" else { return nil }
        return claims
    }

    /// The token of an `Authorization: Bearer <token>` value (scheme case-insensitive, spaces and
    /// tabs around the token ignored), or nil. Works on the UTF-8 bytes: no Foundation.
    static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        let scheme = "bearer".utf8
        guard bytes.count > scheme.count + 1 else { return nil }
        var index = bytes.startIndex
        for expected in scheme {
            // ASCII letters compare case-insensitively by setting bit 5.
            guard bytes[index] | 0x20 == expected else { return nil }
            bytes.formIndex(after: &index)
        }
        guard bytes[index] == UInt8(ascii: " ") else { return nil }
        var end = bytes.endIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while index < end, isBlank(bytes[index]) { bytes.formIndex(after: &index) }
        while end > index, isBlank(bytes[bytes.index(before: end)]) { bytes.formIndex(before: &end) }
        guard index < end else { return nil }
        return String(Substring(bytes[index..<end]))
    }

    private func forward(_ request: Request, to mount: FrontendMount, remoteAddress: String?, requestID: String) async -> Response {
        let isPublic = mount.access.isPublic(relativePath: mount.relativePath(request.uri.path))
        let principal = mount.access.requiresToken ? principal(of: request) : nil
        if !isPublic, principal == nil {
            // Before reading the body: an unauthenticated request costs no memory and no plugin call.
            return unauthorized(mount)
        }
        let limit = mount.access.requiresToken && principal == nil ? min(maxBodyBytes, security.unauthenticatedBodyBytes) : maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return Self.error(.contentTooLarge, "Payload Too Large", "the request body exceeds \(limit) bytes")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            return Self.error(.contentTooLarge, "Payload Too Large", "the request body exceeds \(limit) bytes")
        } catch {
            return Self.error(.badRequest, "Bad Request", "the request body could not be read")
        }
        var headers: [String: String] = [:]
        headers.reserveCapacity(request.headers.count + 2)
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTPTypes moves Host into the authority; front ends still see it as `host`.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        headers["x-request-id"] = requestID
        var message: [String: JSONValue] = [
            "op": "http.request", "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "mount": .string(mount.prefix), "query": .string(request.uri.query ?? ""),
            "headers": .object(headers.mapValues(JSONValue.string)),
            "body_base64": .string(body.readableBytes == 0 ? "" : Data(body.readableBytesView).base64EncodedString()),
        ]
        if let remoteAddress { message["remoteAddress"] = .string(remoteAddress) }
        if let principal { message["principal"] = principal }
        do {
            let reply = try await plugins.call(pluginID: mount.pluginID, request: .object(message), timeout: timeout)
            return try FrontendReply.response(from: reply)
        } catch {
            metrics.recordPluginError(plugin: mount.pluginID, code: error.code.rawValue)
            logger.warning(
                "front end failed",
                metadata: [
                    "plugin": "\(mount.pluginID)", "code": "\(error.code.rawValue)", "error": "\(error.message)", "requestId": "\(requestID)",
                ])
            // Rendered as the front end declared (`failureBodies`), else a neutral plain-text body.
            let kind = FrontendFailureReplies.Kind(error.code)
            let reason = switch kind {
            case .timeout: "the front end did not answer in time"
            case .unavailable: error.message
            case .failure: "the front end failed: \(error.message)"
            }
            return mount.failureReplies.response(kind, reason: reason)
        }
    }

    /// The mount's declared reply to a request without a valid token, or a terse 401.
    private func unauthorized(_ mount: FrontendMount) -> Response {
        if let reply = mount.access.unauthorizedReply, let response = try? FrontendReply.response(from: reply) {
            return response
        }
        var response = Self.error(.unauthorized, "Unauthorized", "a valid bearer token is required")
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    static func error(_ status: HTTPResponse.Status, _ error: String, _ message: String) -> Response {
        let body: JSONValue = ["error": .string(error), "message": .string(message)]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encodedBytes())))
    }

    static func text(_ text: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The request context: Hummingbird's core storage plus the peer address for the access log.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
