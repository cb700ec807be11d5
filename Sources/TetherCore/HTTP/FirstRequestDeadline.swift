import HummingbirdCore
import Logging
import NIOCore

/// The header deadline for listeners whose connections may become websockets (`/activate`):
/// Hummingbird adds `RequestDeadlineHandler` only once a connection's first request turned out
/// not to be an upgrade, so until then this raw-bytes handler closes a connection whose first
/// request head (up to the blank line) has not arrived within `timeout`, then removes itself.
/// Sits after TLS (it reads plaintext). Event-loop confined.
final class FirstRequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// The last bytes seen, to find a blank line split across reads.
    private var tail: [UInt8] = []

    init(timeout: Duration) { self.timeout = TimeAmount(timeout) }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let bytes = tail + buffer.readableBytesView
        let found = bytes.count >= 4 && (0...(bytes.count - 4)).contains { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
        tail = Array(bytes.suffix(3))
        context.fireChannelRead(data)
        if found { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    }
}

/// Adds a `FirstRequestDeadlineHandler` before `base` sets up its pipeline.
struct FirstRequestDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let timeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(FirstRequestDeadlineHandler(timeout: timeout))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
