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
    /// Every accepted connection until it closes, so `stop` can wait for their close events.
    private let connections = OpenConnections()
    /// Returns the memory handshakes and closed tunnels freed to the OS (see ``HeapTrimmer``).
    private let trimmer = HeapTrimmer()
    private let trimTask = Mutex<RepeatedTask?>(nil)
    /// How often the trimmer looks for connection churn.
    static let trimInterval = TimeAmount.seconds(3)

    /// - Parameters:
    ///   - tls: a server `TLSContext` (its certificate's CN is what devices check).
    ///   - authenticator: decides on each device's credentials.
    ///   - observer: receives connect/disconnect/seen events (e.g. to persist them in batches).
    ///   - metrics: the server's counters (the host passes ones made by its metrics factory).
    public init(
        settings: CIRASettings = CIRASettings(), tls: TLSContext, authenticator: any CIRADeviceAuthenticator,
        observer: (any CIRASessionObserver)? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger, metrics: CIRAMetrics = CIRAMetrics()
    ) {
        self.settings = settings
        self.sessions = CIRASessionRegistry()
        self.metrics = metrics
        self.tls = CurrentTLSContext(tls)
        self.group = group
        self.context = CIRAServerContext(
            settings: settings, authenticator: authenticator, registry: sessions,
            admission: CIRAAdmissionControl(
                maxFailures: settings.maxAuthFailures, window: settings.authFailureWindow,
                maxPendingPerAddress: settings.maxPendingHandshakesPerAddress, maxPendingTotal: settings.maxPendingHandshakes),
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
        let trimmer = self.trimmer
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // No per-connection TCP_NODELAY: NIO sets it on the listening socket and accepted
            // sockets inherit it (a test checks), which saves a setsockopt per connection.
            // NIO keeps each channel's last receive buffer for reuse and never shrinks it: start small
            // (APF messages and handshake flights are a few hundred bytes), grow for bulk redirection.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
            .childChannelInitializer { [connections] channel in
                connections.track(channel)
                trimmer.noteChurn()
                channel.closeFuture.whenComplete { _ in trimmer.noteChurn() }
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
        let task = group.next().scheduleRepeatedTask(initialDelay: Self.trimInterval, delay: Self.trimInterval) { _ in
            trimmer.tick()
        }
        trimTask.withLock { $0 = task }
        let bound = channel.localAddress?.port ?? port
        context.logger.info("CIRA server listening", metadata: ["address": "\(host):\(bound)"])
        return bound
    }

    /// Stops accepting, closes every tunnel and returns once every connection has closed (so the
    /// observer has seen every disconnect), or after `deadline`, when the rest are closed hard.
    public func stop(deadline: Duration = .seconds(5)) async {
        let channel = listener.withLock { value in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
        trimTask.withLock { task in
            task?.cancel()
            task = nil
        }
        for session in sessions.all {
            session.disconnect(reason: "server shutting down")
        }
        let open = connections.all
        let connections = self.connections
        let logger = context.logger
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for connection in open { try? await connection.closeFuture.get() }
            }
            group.addTask {
                guard (try? await Task.sleep(for: deadline)) != nil else { return }
                let stragglers = connections.all
                logger.warning("closing CIRA connections that did not close in time", metadata: ["count": "\(stragglers.count)"])
                for connection in stragglers { connection.close(promise: nil) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Connections from `address` still in their handshake.
    public func pendingHandshakes(from address: String) -> Int {
        context.admission.pendingHandshakes(from: address)
    }

    /// The session of a connected device, or nil.
    public func session(for guid: String) -> CIRADeviceSession? {
        sessions.session(for: guid)
    }
}

extension CIRAServer {
    /// The connections accepted and not yet closed (for tests).
    var openConnections: [any Channel] { connections.all }
}

/// The accepted connections that have not closed yet. Thread-safe.
private final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Remembers `channel` until its close future completes.
    func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in channels.withLock { _ = $0.removeValue(forKey: id) } }
    }

    var all: [any Channel] { channels.withLock { Array($0.values) } }
}

/// Opaque to reflection: a test that prints a `CIRAServer` (a failed `#expect`) must not read the
/// dictionary without its lock while event loops change it.
extension OpenConnections: CustomReflectable {
    var customMirror: Mirror { Mirror(self, children: []) }
}

/// The CIRA listener's TLS context, replaceable while it runs (a re-issued server certificate).
final class CurrentTLSContext: Sendable {
    private let context: Mutex<TLSContext>

    init(_ context: TLSContext) { self.context = Mutex(context) }

    var value: TLSContext { context.withLock { $0 } }

    func replace(_ context: TLSContext) { self.context.withLock { $0 = context } }
}
