import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TetherTLS

/// One running Hummingbird server (HTTP, or HTTPS through `OpenSSLServerChannel`). `start`
/// returns once the socket is bound; `stop` closes it and waits. Thread-safe.
final class HTTPListener: Sendable {
    let port: Int
    /// Open connections and refusals at the connection cap.
    let gate: ConnectionGate
    /// The HTTPS context new connections use (nil for plain HTTP).
    let tls: ServerTLS?
    private let task: Task<Void, Never>
    private let group: ServiceGroup

    private init(port: Int, gate: ConnectionGate, tls: ServerTLS?, task: Task<Void, Never>, group: ServiceGroup) {
        self.port = port
        self.gate = gate
        self.tls = tls
        self.task = task
        self.group = group
    }

    /// Binds `host:port` (0 = any free port) and serves `gateway`; with `tls`, speaks HTTPS;
    /// with `activation`, upgrades its path to the activation websocket. At most
    /// `security.httpMaxConnections` connections; each must send its request head within
    /// `httpHeaderTimeout` and its body within `httpBodyTimeout` (`RequestDeadlineHandler`,
    /// removed when a connection becomes a websocket).
    static func start(
        gateway: FrontendGateway, host: String, port: Int, tls: ServerTLS?, security: SecuritySettings, logger: Logger,
        activation: ActivationEndpoint? = nil
    ) async throws(ConfigurationError) -> HTTPListener {
        let gate = ConnectionGate(limit: security.httpMaxConnections)
        let (headerTimeout, bodyTimeout) = (security.httpHeaderTimeout, security.httpBodyTimeout)
        let server = HTTPServerBuilder { responder in
            guard let activation else {
                return guarded(GatewayHTTP1Channel(gateway: gateway, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout), tls: tls, gate: gate)
            }
            return guarded(
                activation.childChannel(responder: responder, gateway: gateway, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout),
                tls: tls, gate: gate)
        }
        let once = Once<Result<Int, ConfigurationError>>()
        let bound: Result<Int, ConfigurationError> = await withCheckedContinuation { continuation in
            once.set(continuation)
            let app = Application(
                responder: gateway, server: server,
                configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
                onServerRunning: { channel in once.resume(.success(channel.localAddress?.port ?? port)) },
                logger: logger)
            // The app runs in a service group of its own so that `stop` can shut it down gracefully.
            let group = ServiceGroup(services: [app], logger: logger)
            once.group = group
            let task = Task {
                do {
                    try await group.run()
                    once.resume(.failure(ConfigurationError("the HTTP server on \(host):\(port) stopped before it started")))
                } catch {
                    once.resume(.failure(ConfigurationError("cannot listen for HTTP on \(host):\(port): \(error)")))
                }
            }
            once.task = task
        }
        switch bound {
        case .success(let actual): return HTTPListener(port: actual, gate: gate, tls: tls, task: once.task!, group: once.group!)
        case .failure(let error):
            once.task?.cancel()
            throw error
        }
    }

    /// `base` behind the OpenSSL handler when `tls` is given, and the connection cap.
    private static func guarded(_ base: some ServerChildChannel, tls: ServerTLS?, gate: ConnectionGate) -> any ServerChildChannel {
        guard let tls else { return GuardedServerChannel(base: base, gate: gate) }
        return GuardedServerChannel(base: OpenSSLServerChannel(base: base, tls: tls), gate: gate)
    }

    /// Stops accepting, lets in-flight requests finish (idle keep-alive connections close at
    /// once) and returns when every connection has closed — or, at `deadline`, cuts the rest
    /// (cancellation) and returns `false`.
    @discardableResult
    func stop(deadline: ContinuousClock.Instant = .now + .seconds(10)) async -> Bool {
        await group.triggerGracefulShutdown()
        let task = self.task
        return await withTaskGroup(of: Bool.self) { waiters in
            waiters.addTask {
                await task.value
                return true
            }
            waiters.addTask {
                guard (try? await Task.sleep(until: deadline)) != nil else { return true }
                task.cancel()
                return false
            }
            let drained = await waiters.next() ?? true
            waiters.cancelAll()
            return drained
        }
    }
}

/// Resumes a continuation at most once (server-running vs. start failure race).
private final class Once<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = Mutex<(continuation: CheckedContinuation<Value, Never>?, done: Bool)>((nil, false))
    private let taskBox = Mutex<Task<Void, Never>?>(nil)
    private let groupBox = Mutex<ServiceGroup?>(nil)

    var group: ServiceGroup? {
        get { groupBox.withLock { $0 } }
        set { groupBox.withLock { $0 = newValue } }
    }

    var task: Task<Void, Never>? {
        get { taskBox.withLock { $0 } }
        set { taskBox.withLock { $0 = newValue } }
    }

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        lock.withLock { $0.continuation = continuation }
    }

    func resume(_ value: Value) {
        let continuation = lock.withLock { state -> CheckedContinuation<Value, Never>? in
            guard !state.done else { return nil }
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}
