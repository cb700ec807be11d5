import Foundation
import Hummingbird
import HummingbirdCore
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
        let admission = admit(request.head, remoteAddress: context.remoteAddress)
        if let early = admission.early { return finish(early, admission).hummingbird }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: admission.bodyLimit)
        } catch is NIOTooManyBytesError {
            return finish(Self.bodyTooLarge(admission.bodyLimit), admission).hummingbird
        } catch {
            return finish(Self.error(.badRequest, "Bad Request", "the request body could not be read"), admission).hummingbird
        }
        return await serve(admission, head: request.head, body: body).hummingbird
    }

    /// Decides what it can from the request head alone, before any body byte is read: the
    /// `Host` check, `/metrics`, the mount, the bearer token and the body limit. An
    /// unauthenticated request to a protected mount is answered here, so it costs no memory
    /// and no plugin call. Synchronous: ``GatewayHTTP1Channel`` calls it on the event loop.
    func admit(_ head: HTTPRequest, remoteAddress: String?) -> GatewayAdmission {
        let uri = URI(head.path ?? "")
        var admission = GatewayAdmission(
            started: .now, requestID: RequestID.choose(clientValue: head.headerFields[.xRequestID]), method: head.method,
            path: uri.path, query: uri.query ?? "", remoteAddress: remoteAddress)
        let path = admission.path
        // The host serves /metrics itself (on the listener that serves it), even beside a front
        // end mounted at `/`.
        let isMetrics = servesMetrics && path.lowercased() == "/metrics" && (head.method == .get || head.method == .head)
        admission.isMetrics = isMetrics
        admission.mount = isMetrics ? nil : mounts.first { $0.contains(path: path) }
        if !hostAllowed(head) {
            admission.early = Self.error(.misdirectedRequest, "Misdirected Request", "this host name is not served here")
        } else if isMetrics {
            if security.metricsRequireToken, principal(of: head) == nil {
                var response = Self.error(.unauthorized, "Unauthorized", "a bearer token is required")
                response.headers[.wwwAuthenticate] = "Bearer"
                admission.early = response
            } else {
                admission.early = Self.text(exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        } else if let mount = admission.mount {
            let isPublic = mount.access.isPublic(relativePath: mount.relativePath(path))
            let principal = mount.access.requiresToken ? principal(of: head) : nil
            admission.principal = principal
            if !isPublic, principal == nil {
                admission.early = unauthorized(mount)
            } else {
                let limit = mount.access.requiresToken && principal == nil ? min(maxBodyBytes, security.unauthenticatedBodyBytes) : maxBodyBytes
                admission.bodyLimit = limit
                if let declared = head.headerFields[.contentLength].flatMap(Int.init), declared > limit {
                    admission.early = Self.bodyTooLarge(limit)
                }
            }
        } else {
            admission.early = Self.notMounted
        }
        return admission
    }

    /// Forwards an admitted request (``admit(_:remoteAddress:)`` gave no early answer) with its
    /// whole body to its front end, and finishes the response.
    func serve(_ admission: GatewayAdmission, head: HTTPRequest, body: ByteBuffer) async -> GatewayResponse {
        guard let mount = admission.mount else { return finish(admission.early ?? Self.notMounted, admission) }
        let response = await RequestLogContext.$requestID.withValue(admission.requestID) {
            await forward(head, body: body, to: mount, admission)
        }
        return finish(response, admission)
    }

    /// The response with the host's own headers, counted in the metrics and written to the access log.
    func finish(_ response: GatewayResponse, _ admission: GatewayAdmission) -> GatewayResponse {
        var response = response
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xRequestID] = admission.requestID
        if isSecure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        let elapsed = ContinuousClock.now - admission.started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let path = admission.path
        metrics.recordRequest(
            frontend: admission.mount?.name ?? (admission.isMetrics ? "metrics" : "none"), status: response.status.code, seconds: seconds)
        // Access log: never headers (Authorization), never the query (may carry secrets), never bodies.
        logger.info(
            "http",
            metadata: [
                "method": "\(admission.method.rawValue)", "path": "\(path.prefix(256))", "status": "\(response.status.code)",
                "ms": "\(Int(seconds * 1000))", "remote": "\(admission.remoteAddress ?? "-")",
                "frontend": "\(admission.mount?.name ?? "-")", "requestId": "\(admission.requestID)",
            ])
        return response
    }

    /// The answer to a path no front end is mounted at.
    static var notMounted: GatewayResponse { error(.notFound, "Not Found", "no front end is mounted at this path") }

    static func bodyTooLarge(_ limit: Int) -> GatewayResponse {
        error(.contentTooLarge, "Payload Too Large", "the request body exceeds \(limit) bytes")
    }

    /// The `Host` check against `SecuritySettings.allowedHosts` (DNS rebinding).
    private func hostAllowed(_ head: HTTPRequest) -> Bool {
        guard !security.allowedHosts.isEmpty else { return true }
        guard let authority = head.authority else { return false }
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            host = host.prefix { $0 != "]" }.dropFirst()
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return security.allowedHosts.contains(String(host))
    }

    /// The claims of the request's valid bearer token, or nil.
    private func principal(of head: HTTPRequest) -> JSONValue? {
        guard let header = head.headerFields[.authorization], let token = Self.bearerToken(header) else { return nil }
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

    private func forward(_ head: HTTPRequest, body: ByteBuffer, to mount: FrontendMount, _ admission: GatewayAdmission) async -> GatewayResponse {
        let requestID = admission.requestID
        var headers: [String: String] = [:]
        headers.reserveCapacity(head.headerFields.count + 2)
        for field in head.headerFields {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTPTypes moves Host into the authority; front ends still see it as `host`.
        if headers["host"] == nil, let authority = head.authority { headers["host"] = authority }
        headers["x-request-id"] = requestID
        var message: [String: JSONValue] = [
            "op": "http.request", "method": .string(head.method.rawValue), "path": .string(admission.path),
            "mount": .string(mount.prefix), "query": .string(admission.query),
            "headers": .object(headers.mapValues(JSONValue.string)),
            "body_base64": .string(body.readableBytes == 0 ? "" : Data(body.readableBytesView).base64EncodedString()),
        ]
        if let remoteAddress = admission.remoteAddress { message["remoteAddress"] = .string(remoteAddress) }
        if let principal = admission.principal { message["principal"] = principal }
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
    private func unauthorized(_ mount: FrontendMount) -> GatewayResponse {
        if let reply = mount.access.unauthorizedReply, let response = try? FrontendReply.response(from: reply) {
            return response
        }
        var response = Self.error(.unauthorized, "Unauthorized", "a valid bearer token is required")
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    static func error(_ status: HTTPResponse.Status, _ error: String, _ message: String) -> GatewayResponse {
        let body: JSONValue = ["error": .string(error), "message": .string(message)]
        return GatewayResponse(status: status, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body.encodedBytes()))
    }

    static func text(_ text: String, contentType: String) -> GatewayResponse {
        GatewayResponse(status: .ok, headers: [.contentType: contentType], body: ByteBuffer(string: text))
    }
}

/// What ``FrontendGateway/admit(_:remoteAddress:)`` decided from a request head.
struct GatewayAdmission: Sendable {
    let started: ContinuousClock.Instant
    let requestID: String
    let method: HTTPRequest.Method
    /// The path as received (percent-encoded, without the query).
    let path: String
    /// The raw query, without `?` ("" when none).
    let query: String
    let remoteAddress: String?
    var isMetrics = false
    var mount: FrontendMount?
    /// The claims of the request's valid bearer token, when its mount checks tokens.
    var principal: JSONValue?
    /// The most body bytes the request may send.
    var bodyLimit = 0
    /// The answer, when the head alone decides it (nothing is forwarded then).
    var early: GatewayResponse?
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
