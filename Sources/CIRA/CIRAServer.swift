import Logging
import NIOCore
import NIOPosix
import Synchronization
import TetherTLS

/// The CIRA listener: TLS (OpenSSL, usually the `legacy` profile) on port 4433, APF on top.
/// Start once; `sessions` lists the connected devices.
public final class CIRAServer: Sendable {
    public let settings: CIRASettings
    public let sessions: CIRASessionRegistry
    public let metrics: CIRAMetrics
    private let context: CIRAServerContext
    /// Replaceable (``replaceTLSContext(_:)``): each new connection takes the current one.
    private let tls: CurrentTLSContext
    private let group: any EventLoopGroup
    private let listener = Mutex<(any Channel)?>(nil)

    /// - Parameters:
    ///   - tls: a server `TLSContext` (its certificate's CN is what devices check).
    ///   - authenticator: decides on each device's credentials.
    ///   - observer: receives connect/disconnect/seen events (e.g. to persist them in batches).
    public init(
        settings: CIRASettings = CIRASettings(), tls: TLSContext, authenticator: any CIRADeviceAuthenticator,
        observer: (any CIRASessionObserver)? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.settings = settings
        self.sessions = CIRASessionRegistry()
        self.metrics = CIRAMetrics()
        self.tls = CurrentTLSContext(tls)
        self.group = group
        self.context = CIRAServerContext(
            settings: settings, authenticator: authenticator, registry: sessions,
            admission: CIRAAdmissionControl(
                maxFailures: settings.maxAuthFailures, window: settings.authFailureWindow,
                maxPendingPerAddress: settings.maxPendingHandshakesPerAddress),
            observer: observer, metrics: metrics, logger: logger)
    }

    /// Serves new connections with `tls` from now on (e.g. a re-issued server certificate);
    /// connections already open keep theirs.
    public func replaceTLSContext(_ tls: TLSContext) {
        self.tls.replace(tls)
    }

    /// Binds and starts accepting. Returns the bound port (useful with port 0).
    @discardableResult
    public func start(host: String = "0.0.0.0", port: Int = 4433) async throws -> Int {
        let context = self.context
        let current = self.tls
        let idle = TimeAmount(settings.idleTimeout)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 65536))
            .childChannelInitializer { channel in
                let tls = current.value
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        OpenSSLHandler(context: tls),
                        IdleStateHandler(allTimeout: idle),
                        CIRAConnectionHandler(server: context),
                    ])
                }
            }
            .bind(host: host, port: port).get()
        listener.withLock { $0 = channel }
        let bound = channel.localAddress?.port ?? port
        context.logger.info("CIRA server listening", metadata: ["address": "\(host):\(bound)"])
        return bound
    }

    /// Stops accepting and closes every tunnel.
    public func stop() async {
        let channel = listener.withLock { value in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
        for session in sessions.all {
            session.disconnect(reason: "server shutting down")
        }
    }

    /// The session of a connected device, or nil.
    public func session(for guid: String) -> CIRADeviceSession? {
        sessions.session(for: guid)
    }
}

/// The CIRA listener's TLS context, replaceable while it runs (a re-issued server certificate).
final class CurrentTLSContext: Sendable {
    private let context: Mutex<TLSContext>

    init(_ context: TLSContext) { self.context = Mutex(context) }

    var value: TLSContext { context.withLock { $0 } }

    func replace(_ context: TLSContext) { self.context.withLock { $0 = context } }
}
