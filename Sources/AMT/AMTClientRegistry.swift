import Logging
import Synchronization

/// One ``AMTDeviceClient`` per device GUID, created on first use. Thread-safe.
public final class AMTClientRegistry: Sendable {
    public let configuration: AMTClientConfiguration
    /// WS-Man call durations of every client, and power actions (recorded by the dispatcher).
    public let metrics: AMTMetrics
    private let sessions: AMTSessionLookup
    private let password: AMTPasswordProvider
    private let logger: Logger
    private let clients = Mutex<[String: AMTDeviceClient]>([:])

    /// - Parameters:
    ///   - sessions: finds a connected device's CIRA session.
    ///   - password: reads a device's AMT password (user `admin`).
    ///   - metrics: counts the calls of every client.
    public init(
        configuration: AMTClientConfiguration = AMTClientConfiguration(),
        sessions: @escaping AMTSessionLookup, password: @escaping AMTPasswordProvider, logger: Logger,
        metrics: AMTMetrics = AMTMetrics()
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.sessions = sessions
        self.password = password
        self.logger = logger
    }

    /// The client of `guid` (case-insensitive).
    public func client(for guid: String) -> AMTDeviceClient {
        let key = guid.lowercased()
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            let client = AMTDeviceClient(
                guid: key, configuration: configuration, sessions: sessions, password: password, logger: logger, metrics: metrics)
            clients[key] = client
            return client
        }
    }

    /// Closes every cached channel.
    public func closeAll() {
        clients.withLock { Array($0.values) }.forEach { $0.closeIdleChannels() }
    }
}
