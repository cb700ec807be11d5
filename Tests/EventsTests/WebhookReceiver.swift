import Foundation
import NIOCore
import NIOPosix
import Synchronization
import WSMan

/// A loopback HTTP server standing in for a webhook endpoint: answers every request with
/// `status`, or never answers (`hang`), and records what it received.
final class WebhookReceiver: Sendable {
    enum Behaviour: Sendable { case answer(Int), hang }

    let behaviour: Behaviour
    private let received = Mutex<[HTTPRequestMessage]>([])
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    init(_ behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    /// Starts listening on a free loopback port and returns it.
    func start() async throws -> Int {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(RequestHandler(receiver: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = server }
        return server.localAddress?.port ?? 0
    }

    func stop() async {
        try? await channel.withLock { $0 }?.close().get()
    }

    var requests: [HTTPRequestMessage] { received.withLock { $0 } }

    fileprivate func record(_ request: HTTPRequestMessage) { received.withLock { $0.append(request) } }

    /// A loopback port nothing listens on (bound, then closed).
    static func refusingPort() async throws -> Int {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = server.localAddress?.port ?? 0
        try await server.close().get()
        return port
    }
}

private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let receiver: WebhookReceiver
    var parser = HTTPRequestParser()

    init(receiver: WebhookReceiver) { self.receiver = receiver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        parser.append(unwrapInboundIn(data).readableBytesView)
        while let request = try? parser.nextRequest() {
            receiver.record(request)
            guard case .answer(let status) = receiver.behaviour else { continue }
            var headers = HTTPHeaders()
            headers.add(name: "Connection", value: "close")
            let response = HTTPResponseMessage(status: status, headers: headers, body: Array("ok".utf8)).encode()
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: response))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
