import Foundation
import NIOCore
import NIOPosix
import WSMan

/// The host's outbound HTTP/1.1 client (plain `http://`), for plugins through `http.request`
/// (webhooks). One connection per request (`Connection: close`), a connect deadline and an
/// overall deadline that closes the socket: a refusing, hanging or slow endpoint costs its
/// caller at most the deadline and never holds an event-loop thread.
///
/// Why not async-http-client: it is in the mirror, but it and its dependencies (swift-nio-ssl,
/// extras, http2…) add minutes to every clean build on the shared machine, while the request
/// writer and the incremental response parser (Content-Length, chunked, read-until-close, with
/// limits) already exist in `WSMan` for the AMT side. Thread-safe.
public struct OutboundHTTPClient: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var url: URL
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var timeout: Duration

        public init(method: String, url: URL, headers: [(String, String)] = [], body: [UInt8] = [], timeout: Duration = .seconds(10)) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeout = timeout
        }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case badURL = "bad_url", connectFailed = "connect_failed", timeout, badResponse = "bad_response"
        }
        public var kind: Kind
        public var description: String
    }

    /// Largest response accepted (headers and body).
    public static let limits = HTTPParserLimits(maxHeaderBytes: 16 << 10, maxBodyBytes: 1 << 20, maxHeaderCount: 100)

    let group: any EventLoopGroup

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// Sends `request` and returns the response, or throws ``Failure`` (never after `timeout`).
    public func send(_ request: Request) async throws(Failure) -> HTTPResponseMessage {
        guard request.url.scheme?.lowercased() == "http", let host = request.url.host, !host.isEmpty else {
            throw Failure(kind: .badURL, description: "only http:// URLs with a host are supported (got \(request.url.absoluteString))")
        }
        let port = request.url.port ?? 80
        // The target as sent (still percent-encoded: a decoded %0D%0A must never reach the wire).
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? ""
        var target = path.isEmpty ? "/" : path
        if let query = components?.percentEncodedQuery { target += "?" + query }
        guard TetherHost.isOneLine(target), !target.contains(" ") else {
            throw Failure(kind: .badURL, description: "the URL's path or query is not sendable")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.url.port.map { "\(host):\($0)" } ?? host)
        for (name, value) in request.headers where !["host", "content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
            headers.add(name: name, value: value)
        }
        headers.add(name: "Connection", value: "close")
        let bytes = HTTPRequestMessage(method: request.method, target: target, headers: headers, body: request.body).encode()

        let loop = group.next()
        let promise = loop.makePromise(of: HTTPResponseMessage.self)
        let timeout = TimeAmount(request.timeout)
        let deadline = loop.scheduleTask(in: timeout) {
            promise.fail(Failure(kind: .timeout, description: "no complete answer from \(host):\(port) within \(request.timeout)"))
        }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
        bootstrap.connect(host: host, port: port).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(Failure(kind: .connectFailed, description: "cannot connect to \(host):\(port): \(error)"))
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
            }
        }
        do {
            let response = try await promise.futureResult.get()
            deadline.cancel()
            return response
        } catch let failure as Failure {
            deadline.cancel()
            throw failure
        } catch {
            deadline.cancel()
            throw Failure(kind: .badResponse, description: "\(error)")
        }
    }
}

/// Feeds the response bytes to the parser; completes the promise with the first response, or
/// fails it on a parse error or a close before a complete response. Runs on the channel's loop.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<HTTPResponseMessage>
    private var parser = HTTPResponseParser(limits: OutboundHTTPClient.limits)

    init(promise: EventLoopPromise<HTTPResponseMessage>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        parser.append(buffer.readableBytesView)
        do {
            if let response = try parser.nextResponse() { promise.succeed(response) }
        } catch {
            promise.fail(OutboundHTTPClient.Failure(kind: .badResponse, description: "malformed HTTP response: \(error)"))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        do {
            if let response = try parser.finish() {
                promise.succeed(response)
            } else {
                promise.fail(OutboundHTTPClient.Failure(kind: .badResponse, description: "the server closed the connection without an answer"))
            }
        } catch {
            promise.fail(OutboundHTTPClient.Failure(kind: .badResponse, description: "truncated HTTP response: \(error)"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(OutboundHTTPClient.Failure(kind: .badResponse, description: "\(error)"))
        context.close(promise: nil)
    }
}
