import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import WSMan

/// The host's HTTP/1.1 child channel: ``FrontendGateway`` served inside the NIO pipeline.
///
/// Hand-written in place of Hummingbird's `HTTP1Channel` (which stays the server, lifecycle and
/// websocket machinery around it) because of what a request costs there. Measured with
/// `tether-bench product --loads version` on this 2-core machine, same open-loop load, host
/// CPU per request: a bare one-route Hummingbird app ≈ 180–200 µs, a bare SwiftNIO server with a
/// Swift task per request ≈ 85 µs. Hummingbird hands each request through `NIOAsyncChannel`'s
/// async sequences and writer (a suspension per part, a writer hop per response part); here the
/// head is admitted on the event loop as it arrives (``FrontendGateway/admit(_:remoteAddress:)``:
/// token, mount and body limit before any body byte is kept), the body is gathered up to that
/// limit, then one task runs the gateway and the response goes out in one flush.
///
/// NIO's HTTP codec with pipelining assistance (responses leave in request order) and its
/// protocol error handler (a malformed request gets 400 and the connection closes), then
/// HTTPTypes' codec, ``RequestDeadlineHandler``, and ``GatewayRequestHandler``. Graceful
/// shutdown closes idle connections at once and others after their response (the quiesce event
/// Hummingbird's server sends); cancellation closes the connection.
///
/// With `upgrade` (the `/activate` websocket), a connection whose first request line targets
/// `upgradePath` is handed, bytes untouched, to that channel (Hummingbird's websocket upgrade),
/// which is what Hummingbird itself does: NIO upgrades only a connection's first request.
/// A later upgrade request on a plain connection is answered as Hummingbird answers it: a
/// 307 to the same URI with `connection: close`, so the client retries on a new connection.
struct GatewayHTTP1Channel<Upgrade: ServerChildChannel>: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        /// Where the connection went: settled at once without `upgrade`, else on its first
        /// request line (NIO reads a child channel only once its setup has finished, so setup
        /// cannot wait for that).
        let route: EventLoopFuture<Route>
    }

    enum Route: Sendable {
        case http
        case upgrade(Upgrade.Value)
    }

    let gateway: FrontendGateway
    let headerTimeout: Duration
    let bodyTimeout: Duration
    /// The websocket channel and the path (without query) its connections start with.
    let upgrade: (channel: Upgrade, path: String)?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard let upgrade else {
            return channel.eventLoop.makeCompletedFuture {
                try configureHTTP(channel)
                return Value(channel: channel, route: channel.eventLoop.makeSucceededFuture(.http))
            }
        }
        let promise = channel.eventLoop.makePromise(of: Route.self)
        let router = FirstRequestRouter(path: upgrade.path) { isUpgrade in
            guard isUpgrade else {
                try configureHTTP(channel)
                promise.succeed(.http)
                return
            }
            upgrade.channel.setup(channel: channel, logger: logger).map(Route.upgrade).cascade(to: promise)
        } failed: { error in
            promise.fail(error)
        }
        // However the connection ends — before its first line, before it was ever active, or
        // before the router was even added — its route is settled, so nothing (`handle`, the
        // server's shutdown) waits for it and the promise never leaks.
        let undecided = NIOLoopBound(router, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in undecided.value.connectionClosed() }
        return channel.eventLoop.makeCompletedFuture {
            do {
                try channel.pipeline.syncOperations.addHandler(router)
            } catch {
                router.connectionClosed()
                throw error
            }
            return Value(channel: channel, route: promise.futureResult)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // Graceful shutdown needs nothing here: Hummingbird's server sends every child channel
        // NIO's quiesce event itself (its `ServerQuiescingHelper`). NIO's pipelining handler then
        // closes an idle connection at once and a busy one after its answer, and
        // ``FirstRequestRouter`` closes one whose first request line has not arrived. A second
        // quiesce event would trip that handler's state check.
        let channel = value.channel
        await withTaskCancellationHandler {
            switch try? await value.route.get() {
            case .http: try? await channel.closeFuture.get()
            case .upgrade(let upgraded): await upgrade?.channel.handle(value: upgraded, logger: logger)
            case nil: break
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Adds the HTTP/1.1 handlers at the end of `channel`'s pipeline (on its event loop).
    private func configureHTTP(_ channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: true, withOutboundHeaderValidation: false)
        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try pipeline.addHandler(RequestDeadlineHandler(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout))
        try pipeline.addHandler(
            GatewayRequestHandler(gateway: gateway, remoteAddress: channel.remoteAddress?.ipAddress, upgradePath: upgrade?.path))
    }
}

extension GatewayHTTP1Channel where Upgrade == NoUpgrade {
    /// A listener without websocket upgrades.
    init(gateway: FrontendGateway, headerTimeout: Duration, bodyTimeout: Duration) {
        self.init(gateway: gateway, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, upgrade: nil)
    }
}

/// The `Upgrade` of a listener that has none (never set up).
struct NoUpgrade: ServerChildChannel {
    struct Value: ServerChildChannelValue { let channel: any Channel }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeSucceededFuture(Value(channel: channel))
    }

    func handle(value: Value, logger: Logger) async {}
}

/// Reads a connection's first request line (raw bytes, up to `limit`), tells `decide` whether
/// it targets `path`, then passes every byte it held on, unchanged, to the handlers `decide`
/// added after it, and removes itself. A line longer than `limit` counts as not the path (the
/// HTTP decoder then refuses it). Event-loop confined.
final class FirstRequestRouter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let path: String
    private let limit: Int
    private let decide: (Bool) throws -> Void
    private let failed: (any Error) -> Void
    private var held: ByteBuffer?
    private var decided = false

    init(path: String, limit: Int = 8192, decide: @escaping (Bool) throws -> Void, failed: @escaping (any Error) -> Void) {
        self.path = path
        self.limit = limit
        self.decide = decide
        self.failed = failed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !decided else { return context.fireChannelRead(data) }
        if held == nil {
            held = buffer
        } else {
            held!.writeBuffer(&buffer)
        }
        let bytes = held!.readableBytesView
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            if bytes.count < limit { return }
            return route(context: context, isUpgrade: false)
        }
        route(context: context, isUpgrade: Self.target(ofRequestLine: bytes[..<newline]) == path)
    }

    /// The connection closed (or could not be set up): an undecided route fails.
    func connectionClosed() {
        guard !decided else { return }
        decided = true
        failed(ChannelError.inputClosed)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !decided, event is ChannelShouldQuiesceEvent { return context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    private func route(context: ChannelHandlerContext, isUpgrade: Bool) {
        decided = true
        do {
            try decide(isUpgrade)
        } catch {
            failed(error)
            context.close(promise: nil)
            return
        }
        if let held {
            self.held = nil
            context.fireChannelRead(wrapInboundOut(held))
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The path of a request line's target (`GET /activate?x HTTP/1.1` → `/activate`).
    static func target(ofRequestLine line: ByteBufferView.SubSequence) -> String? {
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let rest = line[line.index(after: firstSpace)...]
        let end = rest.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "\r") } ?? rest.endIndex
        return String(decoding: rest[..<end], as: UTF8.self)
    }
}

/// Serves requests through ``FrontendGateway`` as their parts arrive. Event-loop confined: the
/// gateway's async part runs in a task whose response is written back on this loop.
final class GatewayRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Gathering the body of an admitted request.
        case collecting(GatewayAdmission, HTTPRequest, ByteBuffer)
        /// The answer is given (early or in progress); the rest of the request is dropped.
        case discarding
        /// The request is complete and its answer is being made.
        case responding
    }

    private let gateway: FrontendGateway
    private let remoteAddress: String?
    private let upgradePath: String?
    private var state = State.idle

    init(gateway: FrontendGateway, remoteAddress: String?, upgradePath: String?) {
        self.gateway = gateway
        self.remoteAddress = remoteAddress
        self.upgradePath = upgradePath
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            if upgradePath != nil, head.headerFields[.upgrade]?.lowercased() == "websocket" {
                // Hummingbird's answer to an upgrade after a plain request: retry on a new connection.
                var response = HTTPResponse(status: .temporaryRedirect)
                response.headerFields[.connection] = "close"
                response.headerFields[.location] = head.path ?? "/"
                response.headerFields[.contentLength] = "0"
                state = .discarding
                return write(response, body: nil, close: true, context: context)
            }
            let admission = gateway.admit(head, remoteAddress: remoteAddress)
            if let early = admission.early {
                state = .discarding
                return respond(gateway.finish(early, admission), to: head, context: context)
            }
            state = .collecting(admission, head, context.channel.allocator.buffer(capacity: 0))
        case (.body(var part), .collecting(let admission, let head, var body)):
            state = .discarding  // no copy of `body` stays in `state` while it grows
            guard body.readableBytes + part.readableBytes <= admission.bodyLimit else {
                return respond(gateway.finish(FrontendGateway.bodyTooLarge(admission.bodyLimit), admission), to: head, context: context)
            }
            body.writeBuffer(&part)
            state = .collecting(admission, head, body)
        case (.body, _):
            break
        case (.end, .collecting(let admission, let head, let body)):
            state = .responding
            let gateway = gateway
            Self.answer(head, context: NIOLoopBound(context, eventLoop: context.eventLoop), handler: NIOLoopBound(self, eventLoop: context.eventLoop)) {
                await gateway.serve(admission, head: head, body: body)
            }
        case (.end, _):
            state = .idle
        }
    }

    /// Makes the response in a task, then writes it on the channel's event loop.
    private static func answer(
        _ head: HTTPRequest, context: NIOLoopBound<ChannelHandlerContext>, handler: NIOLoopBound<GatewayRequestHandler>,
        _ make: @escaping @Sendable () async -> GatewayResponse
    ) {
        Task {
            let response = await make()
            context.eventLoop.execute {
                if case .responding = handler.value.state { handler.value.state = .idle }
                handler.value.respond(response, to: head, context: context.value)
            }
        }
    }

    /// Writes `response` for `head`. Early answers (from the head, or a body over its limit) are
    /// written at once, on the event loop, before any later byte is read: NIO's pipelining and
    /// protocol-error handlers then see one answer per request in order.
    private func respond(_ response: GatewayResponse, to head: HTTPRequest, context: ChannelHandlerContext) {
        var fields = response.headers
        let status = response.status
        let bodyless = status.kind == .informational || status == .noContent || status == .notModified
        if !bodyless, fields[.contentLength] == nil { fields[.contentLength] = String(response.body.readableBytes) }
        fields[.date] = HTTPDate.now()
        let close = head.headerFields[.connection]?.lowercased().contains("close") ?? false
        write(
            HTTPResponse(status: status, headerFields: fields), body: bodyless || head.method == .head ? nil : response.body,
            close: close, context: context)
    }

    private func write(_ response: HTTPResponse, body: ByteBuffer?, close: Bool, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        if close {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
