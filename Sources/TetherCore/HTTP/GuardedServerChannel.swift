import HummingbirdCore
import Logging
import NIOCore

/// Wraps a listener's child channel setup with its connection cap: beyond `gate.limit` open
/// connections a new one is closed before any byte is read.
struct GuardedServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let gate: ConnectionGate

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard gate.admit() else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ConnectionLimitReached(limit: gate.limit))
        }
        channel.closeFuture.whenComplete { [gate] _ in gate.release() }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Why a connection was closed at once.
struct ConnectionLimitReached: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "connection limit (\(limit)) reached" }
}
