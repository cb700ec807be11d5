import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TetherTLS

/// A bare TLS (or plain TCP) client that sends arbitrary bytes and records what comes back and
/// whether the server closed the connection: for feeding the server bad input.
public final class RawClient: Sendable {
    public let channel: any Channel
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

    public static func connect(port: Int, tls: Bool) async throws -> RawClient {
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
            _ = await Self.wait(timeout: .seconds(5)) { collector.state.withLock { $0.handshake || $0.closed } }
        }
        return client
    }

    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    /// Resets the connection (SO_LINGER 0: an RST, no TLS `close_notify`), as `openssl s_time`
    /// and many scanners leave.
    public func reset() async {
        if let tls = try? await channel.pipeline.handler(type: OpenSSLHandler.self).get() {
            try? await channel.pipeline.removeHandler(tls).get()
        }
        try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        try? await channel.close()
    }

    /// Closes the connection cleanly (with TLS, a `close_notify` first).
    public func close() async {
        try? await channel.close()
    }

    public var received: [UInt8] { collector.state.withLock { $0.bytes } }
    public var isClosed: Bool { collector.state.withLock { $0.closed } }

    /// Waits for the server to close the connection.
    public func waitForClose(timeout: Duration = .seconds(5)) async -> Bool {
        await Self.wait(timeout: timeout) { isClosed }
    }

    /// Waits until `count` bytes have arrived (or the connection closed), at most `timeout`.
    public func waitForBytes(_ count: Int = 1, timeout: Duration = .seconds(5)) async -> Bool {
        await Self.wait(timeout: timeout) { received.count >= count || isClosed }
        return received.count >= count
    }

    private static func wait(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
