import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization
import TetherTLS

/// One running Hummingbird server (HTTP, or HTTPS through `OpenSSLServerChannel`). `start`
/// returns once the socket is bound; `stop` closes it and waits. Thread-safe.
final class HTTPListener: Sendable {
    let port: Int
    private let task: Task<Void, Never>

    private init(port: Int, task: Task<Void, Never>) {
        self.port = port
        self.task = task
    }

    /// Binds `host:port` (0 = any free port) and serves `gateway`; with `tls`, speaks HTTPS;
    /// with `activation`, upgrades its path to the activation websocket.
    static func start(
        gateway: FrontendGateway, host: String, port: Int, tls: TLSContext?, logger: Logger,
        activation: ActivationEndpoint? = nil
    ) async throws(ConfigurationError) -> HTTPListener {
        let server: HTTPServerBuilder
        if let activation {
            server = activation.serverBuilder(tls: tls)
        } else if let tls {
            server = HTTPServerBuilder { responder in
                OpenSSLServerChannel(base: HTTP1Channel(responder: responder, configuration: .init()), tls: tls)
            }
        } else {
            server = .http1()
        }
        let once = Once<Result<Int, ConfigurationError>>()
        let bound: Result<Int, ConfigurationError> = await withCheckedContinuation { continuation in
            once.set(continuation)
            let app = Application(
                responder: gateway, server: server,
                configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
                onServerRunning: { channel in once.resume(.success(channel.localAddress?.port ?? port)) },
                logger: logger)
            let task = Task {
                do {
                    try await app.run()
                    once.resume(.failure(ConfigurationError("the HTTP server on \(host):\(port) stopped before it started")))
                } catch {
                    once.resume(.failure(ConfigurationError("cannot listen for HTTP on \(host):\(port): \(error)")))
                }
            }
            once.task = task
        }
        switch bound {
        case .success(let actual): return HTTPListener(port: actual, task: once.task!)
        case .failure(let error):
            once.task?.cancel()
            throw error
        }
    }

    /// Closes the listener and waits for in-flight connections to finish.
    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Resumes a continuation at most once (server-running vs. start failure race).
private final class Once<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = Mutex<(continuation: CheckedContinuation<Value, Never>?, done: Bool)>((nil, false))
    private let taskBox = Mutex<Task<Void, Never>?>(nil)

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
