import Foundation
import Logging
import NIOCore
import NIOPosix
import PluginHost
import TetherJSON

/// A local control socket (`<data-dir>/tether.sock`, mode 0600): the CLI sends command-bus
/// requests to the running host through it. Protocol: one JSON object per line,
/// `{"command": name, "args": {…}}` → `{"ok": true, "result": …}` or
/// `{"ok": false, "error": {"error", "code", …}}`.
final class ControlSocket: Sendable {
    private let channel: any Channel
    private let inFlight: InFlightRequests
    let path: String

    private init(channel: any Channel, path: String, inFlight: InFlightRequests) {
        self.channel = channel
        self.path = path
        self.inFlight = inFlight
    }

    static func start(path: String, bus: CommandBus, logger: Logger) async throws -> ControlSocket {
        // The socket must never exist with looser permissions than 0600, even for a moment:
        // bind under a restrictive umask (only ever stricter for anything created meanwhile).
        let previousMask = umask(0o077)
        defer { umask(previousMask) }
        let inFlight = InFlightRequests()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(LineDecoder(maximumLength: 1 << 20)),
                        ControlRequestHandler(bus: bus, logger: logger, inFlight: inFlight),
                    ])
                }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        guard chmod(path, 0o600) == 0 else {
            try? await channel.close()
            throw ControlSocketError.permissions
        }
        return ControlSocket(channel: channel, path: path, inFlight: inFlight)
    }

    /// Stops accepting (the socket file goes), then waits until the commands in progress have
    /// written their replies, at most until `deadline`. Returns whether they all finished.
    @discardableResult
    func stop(until deadline: ContinuousClock.Instant = .now + .seconds(10)) async -> Bool {
        try? await channel.close()
        unlink(path)
        return await inFlight.drained(until: deadline)
    }
}

/// Splits a byte stream into lines (without the newline); refuses over-long lines.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximumLength: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLength { throw ControlSocketError.lineTooLong }
            return .needMoreData
        }
        let line = buffer.readSlice(length: newline - buffer.readerIndex)!
        buffer.moveReaderIndex(forwardBy: 1)
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}

enum ControlSocketError: Error { case lineTooLong, permissions }

private final class ControlRequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let bus: CommandBus
    let logger: Logger
    let inFlight: InFlightRequests

    init(bus: CommandBus, logger: Logger, inFlight: InFlightRequests) {
        self.bus = bus
        self.logger = logger
        self.inFlight = inFlight
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let channel = context.channel
        let bus = self.bus
        let request = try? JSONValue(parsing: Array(line.readableBytesView))
        let inFlight = self.inFlight
        inFlight.begin()
        Task {
            let reply: JSONValue
            if let request {
                switch await bus.result(request: request) {
                case .success(let result): reply = ["ok": true, "result": result]
                case .failure(let error): reply = ["ok": false, "error": error.json]
                }
            } else {
                reply = ["ok": false, "error": CommandError(.badRequest, "the request is not JSON").json]
            }
            var buffer = channel.allocator.buffer(bytes: reply.encodedBytes())
            buffer.writeInteger(UInt8(ascii: "\n"))
            channel.writeAndFlush(buffer).whenComplete { _ in inFlight.end() }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("control socket connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
