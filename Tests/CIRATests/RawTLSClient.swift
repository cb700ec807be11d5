import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TetherTLS

/// A bare TLS (or plain TCP) client that sends arbitrary bytes and records what comes back and
/// whether the server closed the connection: for feeding the server bad input.
final class RawClient: Sendable {
    let channel: any Channel
    let collector: Collector

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = Mutex<(bytes: [UInt8], closed: Bool, handshake: Bool)>(([], false, false))
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            state.withLock { $0.bytes += bytes }
        }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is TLSHandshakeCompleted { state.withLock { $0.handshake = true } }
        }
        func channelInactive(context: ChannelHandlerContext) { state.withLock { $0.closed = true } }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int, tls: Bool) async throws -> RawClient {
        let collector = Collector()
        let context = tls ? try TLSContext(configuration: .client(profile: .legacy, verification: .insecure)) : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: context)) }
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let client = RawClient(channel: channel, collector: collector)
        if tls {
            _ = await eventually { collector.state.withLock { $0.handshake || $0.closed } }
        }
        return client
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    var received: [UInt8] { collector.state.withLock { $0.bytes } }
    var isClosed: Bool { collector.state.withLock { $0.closed } }

    /// Waits for the server to close the connection.
    func waitForClose(timeout: Duration = .seconds(5)) async -> Bool {
        await eventually(timeout: timeout) { isClosed }
    }
}
