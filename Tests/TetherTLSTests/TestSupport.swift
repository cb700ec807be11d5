import Foundation
import NIOCore
import NIOPosix
@testable import TetherTLS

/// One authority for the whole test run (RSA generation is slow on 2 cores).
let sharedAuthority: Result<CertificateAuthority, TLSError> = Result {
    () throws(TLSError) -> CertificateAuthority in
    try CertificateAuthority.generate(commonName: "127.0.0.1")
}

/// A second, unrelated authority (for "untrusted root" checks).
let strangerAuthority: Result<CertificateAuthority, TLSError> = Result {
    () throws(TLSError) -> CertificateAuthority in
    try CertificateAuthority.generate(commonName: "127.0.0.1")
}

let testGroup = MultiThreadedEventLoopGroup.singleton

/// Thread-safe record of what a server's child channels saw.
final class ServerLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [TLSHandshakeCompleted] = []
    private var _errors: [Error] = []
    private var _children: [Channel] = []
    private var _received = 0

    var events: [TLSHandshakeCompleted] { lock.withLock { _events } }
    var errors: [Error] { lock.withLock { _errors } }
    var children: [Channel] { lock.withLock { _children } }
    var receivedBytes: Int { lock.withLock { _received } }

    func add(event: TLSHandshakeCompleted) { lock.withLock { _events.append(event) } }
    func add(error: Error) { lock.withLock { _errors.append(error) } }
    func add(child: Channel) { lock.withLock { _children.append(child) } }
    func add(received: Int) { lock.withLock { _received += received } }
}

/// Polls `condition` every 20 ms for up to `seconds`.
func eventually(seconds: Double = 5, _ condition: () -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    return condition()
}

/// Server-side application handler: echoes plaintext, optionally closing after the first echo;
/// records handshake events and errors in a ``ServerLog``.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let log: ServerLog
    let closeAfterFirstEcho: Bool

    init(log: ServerLog, closeAfterFirstEcho: Bool) {
        self.log = log
        self.closeAfterFirstEcho = closeAfterFirstEcho
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        log.add(received: buffer.readableBytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        if closeAfterFirstEcho {
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let done = event as? TLSHandshakeCompleted {
            log.add(event: done)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        log.add(error: error)
    }
}

/// Starts a TLS echo server on 127.0.0.1 with an ephemeral port.
func startServer(_ configuration: TLSConfiguration, closeAfterFirstEcho: Bool = false) async throws -> (Channel, ServerLog) {
    let context = try TLSContext(configuration: configuration)
    let log = ServerLog()
    let channel = try await ServerBootstrap(group: testGroup)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { child in
            log.add(child: child)
            return child.eventLoop.makeCompletedFuture {
                try child.pipeline.syncOperations.addHandler(OpenSSLHandler(context: context))
                try child.pipeline.syncOperations.addHandler(
                    EchoHandler(log: log, closeAfterFirstEcho: closeAfterFirstEcho))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    return (channel, log)
}

/// Client-side probe: sends `payload` right away (before the handshake finishes, exercising
/// the queue), collects the reply until `expectedBytes` arrived, and records the outcome.
final class ClientProbe: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let payload: ByteBuffer?
    let expectedBytes: Int
    let handshake: EventLoopPromise<TLSHandshakeCompleted>
    let reply: EventLoopPromise<ByteBuffer>
    private var collected = ByteBuffer()
    private var handshakeDone = false
    private var replyDone = false

    init(eventLoop: EventLoop, payload: ByteBuffer?, expectedBytes: Int) {
        self.payload = payload
        self.expectedBytes = expectedBytes
        self.handshake = eventLoop.makePromise()
        self.reply = eventLoop.makePromise()
    }

    func channelActive(context: ChannelHandlerContext) {
        if let payload {
            context.writeAndFlush(wrapOutboundOut(payload), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        collected.writeBuffer(&buffer)
        if !replyDone, collected.readableBytes >= expectedBytes {
            replyDone = true
            reply.succeed(collected)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let done = event as? TLSHandshakeCompleted, !handshakeDone {
            handshakeDone = true
            handshake.succeed(done)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(ChannelError.eof)
    }

    private func finish(_ error: Error) {
        if !handshakeDone {
            handshakeDone = true
            handshake.fail(error)
        }
        if !replyDone {
            replyDone = true
            reply.fail(error)
        }
    }
}

/// Connects a TLS client to `port` and returns its channel and probe futures. `socketSide`, if
/// given, sits between the TLS handler and the socket (to tamper with records).
func connectClient(
    port: Int,
    configuration: TLSConfiguration,
    serverName: String?,
    payload: String?,
    expectedBytes: Int? = nil,
    socketSide: (any ChannelHandler & Sendable)? = nil
) async throws -> (channel: Channel, handshake: EventLoopFuture<TLSHandshakeCompleted>, reply: EventLoopFuture<ByteBuffer>) {
    let context = try TLSContext(configuration: configuration)
    let payloadBuffer = payload.map { ByteBuffer(string: $0) }
    let expected = expectedBytes ?? payloadBuffer?.readableBytes ?? 0
    let box = ProbeBox()
    let channel = try await ClientBootstrap(group: testGroup)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let probe = ClientProbe(eventLoop: channel.eventLoop, payload: payloadBuffer, expectedBytes: expected)
                box.set(handshake: probe.handshake.futureResult, reply: probe.reply.futureResult)
                if let socketSide { try channel.pipeline.syncOperations.addHandler(socketSide) }
                try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: context, serverName: serverName))
                try channel.pipeline.syncOperations.addHandler(probe)
            }
        }
        .connect(host: "127.0.0.1", port: port).get()
    let (handshake, reply) = try box.get()
    return (channel, handshake, reply)
}

/// Hands the probe's futures from the initializer to the test.
final class ProbeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var futures: (EventLoopFuture<TLSHandshakeCompleted>, EventLoopFuture<ByteBuffer>)?

    func set(handshake: EventLoopFuture<TLSHandshakeCompleted>, reply: EventLoopFuture<ByteBuffer>) {
        lock.withLock { futures = (handshake, reply) }
    }

    func get() throws -> (EventLoopFuture<TLSHandshakeCompleted>, EventLoopFuture<ByteBuffer>) {
        guard let futures = lock.withLock({ futures }) else { throw ChannelError.inappropriateOperationForState }
        return futures
    }
}

extension Channel {
    var boundPort: Int {
        localAddress?.port ?? 0
    }
}
