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
struct FrontendGateway: HTTPResponder {
    typealias Context = GatewayRequestContext

    let mounts: [FrontendMount]
    let plugins: PluginHost
    let metrics: HTTPMetrics
    let maxBodyBytes: Int
    let timeout: Duration
    let logger: Logger
    /// Renders `GET /metrics`.
    let exposition: @Sendable () -> String

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        // The host serves /metrics itself, even beside a front end mounted at `/`.
        let isMetrics = path.lowercased() == "/metrics" && (request.method == .get || request.method == .head)
        let mount = isMetrics ? nil : mounts.first { $0.contains(path: path) }
        let response: Response
        if isMetrics {
            response = Self.text(exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        } else if let mount {
            response = await forward(request, to: mount, remoteAddress: context.remoteAddress)
        } else {
            response = Self.error(.notFound, "Not Found", "no front end is mounted at this path")
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRequest(frontend: mount?.name ?? (path == "/metrics" ? "metrics" : "none"), status: response.status.code, seconds: seconds)
        // Access log: never headers (Authorization), never the query (may carry secrets), never bodies.
        logger.info(
            "http",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path.prefix(256))", "status": "\(response.status.code)",
                "ms": "\(Int(seconds * 1000))", "remote": "\(context.remoteAddress ?? "-")",
                "frontend": "\(mount?.name ?? "-")",
            ])
        return response
    }

    private func forward(_ request: Request, to mount: FrontendMount, remoteAddress: String?) async -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            return Self.error(.contentTooLarge, "Payload Too Large", "the request body exceeds \(maxBodyBytes) bytes")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Self.error(.contentTooLarge, "Payload Too Large", "the request body exceeds \(maxBodyBytes) bytes")
        } catch {
            return Self.error(.badRequest, "Bad Request", "the request body could not be read: \(error)")
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTPTypes moves Host into the authority; front ends still see it as `host`.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        var message: [String: JSONValue] = [
            "op": "http.request", "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "mount": .string(mount.prefix), "query": .string(request.uri.query ?? ""),
            "headers": .object(headers.mapValues(JSONValue.string)),
            "body_base64": .string(Data(body.readableBytesView).base64EncodedString()),
        ]
        if let remoteAddress { message["remoteAddress"] = .string(remoteAddress) }
        do {
            let reply = try await plugins.call(pluginID: mount.pluginID, request: .object(message), timeout: timeout)
            return try FrontendReply.response(from: reply)
        } catch {
            metrics.recordPluginError(plugin: mount.pluginID, code: error.code.rawValue)
            logger.warning(
                "front end failed", metadata: ["plugin": "\(mount.pluginID)", "code": "\(error.code.rawValue)", "error": "\(error.message)"])
            switch error.code {
            case .timeout: return Self.error(.gatewayTimeout, "Gateway Timeout", "the front end did not answer in time")
            case .unavailable: return Self.error(.serviceUnavailable, "Service Unavailable", error.message)
            default: return Self.error(.badGateway, "Bad Gateway", "the front end failed: \(error.message)")
            }
        }
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
