import HummingbirdCore
import Logging
import NIOCore
import TetherTLS

/// A Hummingbird child channel (HTTP/1.1, or HTTP/1.1 with the websocket upgrade) behind the
/// repo's OpenSSL handler (`TetherTLS`), so the HTTPS listener uses the same TLS stack and
/// certificate as the CIRA port, with the `.modern` profile (TLS 1.2+). No NIOSSL copy in the process.
struct OpenSSLServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    /// Read per connection, so a re-issued certificate applies to the next one.
    let tls: ServerTLS

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tls.current))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
