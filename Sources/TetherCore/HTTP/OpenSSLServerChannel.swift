import HummingbirdCore
import Logging
import NIOCore
import TetherTLS

/// Hummingbird's HTTP/1.1 child channel behind the repo's OpenSSL handler (`TetherTLS`), so the
/// HTTPS listener uses the same TLS stack and certificate as the CIRA port, with the `.modern`
/// profile (TLS 1.2+). No NIOSSL copy in the process.
struct OpenSSLServerChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let tls: TLSContext

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tls))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
