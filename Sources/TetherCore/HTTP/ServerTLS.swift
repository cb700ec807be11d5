import Synchronization
import TetherTLS

/// The HTTPS listener's current TLS context, swapped atomically when the server certificate
/// is re-issued (a CIRA config with a new Cert. Hostname): each new connection takes the
/// context current when it is accepted, connections already open keep theirs. The CIRA
/// server swaps its own context at the same moment (``TetherHost/ensureServerCertificateCovers(_:)``).
final class ServerTLS: Sendable {
    private let context: Mutex<TLSContext>

    init(_ context: TLSContext) {
        self.context = Mutex(context)
    }

    /// The context for a connection accepted now.
    var current: TLSContext { context.withLock { $0 } }

    /// New connections use `context` from now on.
    func replace(_ context: TLSContext) {
        self.context.withLock { $0 = context }
    }
}
