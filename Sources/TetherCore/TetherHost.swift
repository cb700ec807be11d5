import AMT
import CIRA
import TetherAsync
import Foundation
import Logging
import MQTT
import PluginHost
import Prometheus
import Store
import Synchronization
import TetherJSON
import TetherTLS

/// The Tether host process: owns the command bus, the plugins, the store, the certificate
/// authority and the CIRA server. `start` once, `stop` once.
public final class TetherHost: Sendable {
    /// What `start` brings up.
    public struct Services: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The store and certificate authority (needed by almost every command).
        public static let store = Services(rawValue: 1)
        /// The CIRA listener.
        public static let cira = Services(rawValue: 2)
        /// The local control socket for the CLI.
        public static let control = Services(rawValue: 4)
        /// The HTTP(S) listener for front-end plugins.
        public static let http = Services(rawValue: 8)
        public static let all: Services = [.store, .cira, .control, .http]
    }

    public let configuration: TetherConfiguration
    public let bus: CommandBus
    public let plugins: PluginHost
    public let logger: Logger
    /// This host's Prometheus registry (served on `GET /metrics`) and the swift-metrics factory
    /// that records into it. Each host owns its own, so several hosts in one process (tests) keep
    /// separate metrics; nothing here bootstraps the process-wide `MetricsSystem`.
    public let metricsRegistry: PrometheusCollectorRegistry
    public let metricsFactory: PrometheusMetricsFactory
    /// Counts kept by components themselves, copied into `metricsRegistry` at each scrape.
    let scrapedMetrics: ScrapedMetrics
    /// WS-Man call durations and power actions, served on `GET /metrics`.
    public let amtMetrics: AMTMetrics
    /// Device, power, admin and job events for plugins (`tether.events/1`) and publishers (Events/).
    public let events = EventBus()
    /// Fleet jobs (bulk power actions and states) with progress and per-device results (Jobs/).
    public let jobs = JobManager()
    /// The MQTT event publisher while `mqtt` is configured and the host runs.
    let mqttPublisher = Mutex<MQTTPublisher?>(nil)
    /// Activations in progress and their step logs (see `TetherHost+Activation.swift`).
    public let activations = ActivationRegistry()
    /// Serialises server-certificate re-issues.
    let certificateRenewal = Mutex(())

    struct Running: Sendable {
        var store: TetherStore?
        var authority: CertificateAuthority?
        var cira: CIRAServer?
        var ciraPort: Int?
        var recorder: ConnectionEventRecorder?
        var control: ControlSocket?
        var http: HTTPRuntime?
        /// Set when shutdown starts: the end of the drain period, shared by every listener.
        var drainDeadline: ContinuousClock.Instant?
        var stopped = false
    }

    let running = Mutex(Running())

    public init(configuration: TetherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.bus = CommandBus()
        (self.metricsRegistry, self.metricsFactory) = Self.makeMetrics()
        self.scrapedMetrics = ScrapedMetrics(registry: metricsRegistry)
        self.amtMetrics = AMTMetrics(factory: metricsFactory)
        self.plugins = PluginHost(bus: bus, logger: logger, defaultTimeout: configuration.pluginTimeout)
    }

    /// The store, once started.
    public var store: TetherStore? { running.withLock { $0.store } }
    /// The certificate authority, once started.
    public var certificateAuthority: CertificateAuthority? { running.withLock { $0.authority } }
    /// The CIRA server, once started.
    public var ciraServer: CIRAServer? { running.withLock { $0.cira } }
    /// The port the CIRA server listens on (useful when configured as 0).
    public var ciraPort: Int? { running.withLock { $0.ciraPort } }

    /// Prepares the data directory, opens the store, loads the certificate authority, registers
    /// the host commands, loads the plugins, and starts the listeners in `services`. Plugin
    /// failures are logged and listed, never fatal; an unusable data directory, store or
    /// certificate is.
    public func start(_ services: Services = .all) async throws(ConfigurationError) {
        try configuration.validate()
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError("cannot create data directory \(configuration.dataDirectory): \(error.localizedDescription)")
        }
        if services.contains(.store) {
            try await openStore(at: dataDirectory)
        }
        registerHostCommands()
        registerAdminCommands()
        registerAMTCommands()
        registerJobCommands()
        registerOutboundHTTP()
        registerActivationCommands()
        let records = plugins.loadAll(from: configuration.pluginSearchPaths, settings: configuration.pluginSettings)
        reportPowerActionConflicts()
        startEvents()
        if services.contains(.cira) {
            try await startCIRA()
        }
        if services.contains(.control) {
            try await startControlSocket(in: dataDirectory)
        }
        if services.contains(.http) {
            try await startHTTP()
        }
        let loaded = records.filter { $0.status == .loaded }.count
        logger.info(
            "host started",
            metadata: [
                "version": "\(TetherHostVersion.current)", "abi": "\(TetherHostVersion.abiText)",
                "dataDir": "\(configuration.dataDirectory)", "plugins": "\(loaded)/\(records.count)",
                "allocator": "\(HeapTrimmer.allocatorName)", "executor": "\(EventLoopGlobalExecutor.current)",
            ])
    }

    /// Opens the store and loads (or, on the first start, generates: two RSA keys) the
    /// certificate authority, on a thread of its own (``BlockingWork``).
    private func openStore(at dataDirectory: URL) async throws(ConfigurationError) {
        let commonName = configuration.commonName
        do {
            let (store, authority, event) = try await BlockingWork.run {
                let store = try TetherStore.open(dataDirectory: dataDirectory)
                let certificates = CertificateStore(directory: dataDirectory.appendingPathComponent("certs"), sealer: store.sealer)
                let (authority, event) = try certificates.loadOrCreate(commonName: commonName)
                return (store, authority, event)
            }
            logger.info("\(event)")
            running.withLock {
                $0.store = store
                $0.authority = authority
            }
        } catch let error as TLSError {
            throw ConfigurationError("certificate authority: \(error.message)")
        } catch {
            throw ConfigurationError("cannot open the store in \(configuration.dataDirectory): \(error)")
        }
    }

    private func startCIRA() async throws(ConfigurationError) {
        guard let store, let authority = certificateAuthority else {
            throw ConfigurationError("the CIRA server needs the store")
        }
        var settings = CIRASettings()
        settings.keepAliveInterval = configuration.keepAliveInterval
        settings.idleTimeout = configuration.idleTimeout
        do {
            let tls = try TLSContext(
                configuration: .server(
                    profile: .legacy, certificateChainPEM: authority.serverCertificateChainPEM,
                    privateKeyPEM: authority.serverPrivateKeyPEM, requestClientCertificate: true))
            let recorder = ConnectionEventRecorder(store: store, instance: configuration.instanceName, logger: logger, events: events)
            let registrationGate = SelfRegistrationGate(settings: configuration.security)
            let authenticator = StoreAuthenticator(store: store, logger: logger) { [weak self] request in
                await self?.selfRegister(request, gate: registrationGate) ?? false
            }
            let server = CIRAServer(
                settings: settings, tls: tls, authenticator: authenticator, observer: recorder, logger: logger,
                metrics: CIRAMetrics(factory: metricsFactory))
            let port = try await server.start(host: configuration.ciraBind, port: configuration.ciraPort)
            _ = try? await store.devices.clearInstance(configuration.instanceName)
            running.withLock {
                $0.cira = server
                $0.ciraPort = port
                $0.recorder = recorder
            }
        } catch let error as TLSError {
            throw ConfigurationError("CIRA TLS: \(error.message)")
        } catch {
            throw ConfigurationError("cannot listen for CIRA on \(configuration.ciraBind):\(configuration.ciraPort): \(error)")
        }
    }

    private func startControlSocket(in dataDirectory: URL) async throws(ConfigurationError) {
        let path = dataDirectory.appendingPathComponent("tether.sock").path
        do {
            let control = try await ControlSocket.start(path: path, bus: bus, logger: logger)
            running.withLock { $0.control = control }
        } catch {
            throw ConfigurationError("cannot open the control socket \(path): \(error)")
        }
    }

    /// Stops gracefully: the listeners stop accepting and let in-flight requests finish until
    /// the drain deadline (`shutdownDrainTimeout`), the tunnels close, pending connection events
    /// are flushed, the plugins are destroyed. The same order as ``serviceGroup(backstop:)``.
    public func stop() async {
        let state = running.withLock { $0 }
        await stopHTTP()
        await state.control?.stop()
        await state.cira?.stop()
        if let recorder = state.recorder {
            try? await Task.sleep(for: .milliseconds(50))
            await recorder.flush()
        }
        if let store = state.store {
            _ = try? await store.devices.clearInstance(configuration.instanceName)
        }
        await stopEvents()
        await plugins.shutdown()
        logger.info("host stopped")
    }

    /// Self-registration hook (a CIRA config that allows it); extended by the admin commands.
    func selfRegister(_ request: CIRAAuthRequest, gate: SelfRegistrationGate) async -> Bool {
        await selfRegistration(request, gate: gate)
    }
}
