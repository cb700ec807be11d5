import APF
import NIOCore
import NIOPosix
import Synchronization
import TetherTLS

/// One simulated AMT device: dials the management server over TLS, runs the CIRA handshake,
/// keeps the tunnel alive, serves channels from its firmware and reconnects with backoff.
/// Thread-safe.
public final class SimulatedDevice: Sendable {
    public enum Status: Sendable, Equatable {
        case idle
        case connecting
        case connected
        case reconnecting(lastError: String)
        case failed(String)
        case stopped
    }

    public let configuration: SimulatedDeviceConfiguration
    public let firmware: any DeviceFirmware
    private let tls: TLSContext
    private let group: any EventLoopGroup
    let events: Events

    /// Creates a device. `tls` may be shared by a fleet; by default one is built from
    /// `configuration.tls`.
    public init(
        configuration: SimulatedDeviceConfiguration, firmware: any DeviceFirmware, tls: TLSContext? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(TLSError) {
        self.configuration = configuration
        self.firmware = firmware
        if let tls {
            self.tls = tls
        } else {
            self.tls = try SimulatedDevice.makeTLSContext(configuration.tls)
        }
        self.group = group
        self.events = Events()
    }

    /// A client TLS context for `options`.
    public static func makeTLSContext(_ options: DeviceTLSOptions) throws(TLSError) -> TLSContext {
        let verification: TLSConfiguration.PeerVerification =
            options.insecure || options.trustedRootPEM == nil ? .insecure : .verify(trustRootsPEM: options.trustedRootPEM!)
        var configuration = TLSConfiguration.client(profile: .legacy, verification: verification)
        configuration.minimumVersion = options.minimumVersion
        configuration.maximumVersion = options.maximumVersion
        if let cipherList = options.cipherList { configuration.cipherList = cipherList }
        return try TLSContext(configuration: configuration)
    }

    public var status: Status { events.status }
    /// Completed handshakes since creation (reconnects count).
    public var connectCount: Int { events.connectCount }

    /// Connects (and keeps reconnecting when configured) in the background.
    public func start() {
        let task = Task { await self.runLoop() }
        events.setTask(task)
    }

    /// Stops reconnecting and closes the tunnel.
    public func stop() async {
        events.stop()
        if let channel = events.channel { try? await channel.close() }
        events.task?.cancel()  // ends a reconnect backoff sleep at once
        await events.task?.value
    }

    /// Waits until the tunnel is established (or failed for good), at most `timeout`.
    @discardableResult
    public func waitUntilConnected(timeout: Duration = .seconds(30)) async -> Status {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            switch status {
            case .connected, .failed, .stopped: return status
            default: try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return status
    }

    /// Waits until the tunnel is down (the server closed it), at most `timeout`.
    @discardableResult
    public func waitUntilDisconnected(timeout: Duration = .seconds(30)) async -> Bool {
        let target = events.disconnectCount + (status == .connected ? 1 : 0)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if events.disconnectCount >= target && status != .connected { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private func runLoop() async {
        var backoff = configuration.initialBackoff
        while !events.isStopped {
            events.update(.connecting)
            let error = await connectOnce()
            if events.isStopped { break }
            guard configuration.reconnect else {
                events.update(.failed(error))
                return
            }
            events.update(.reconnecting(lastError: error))
            // "Equal jitter": half the backoff plus a random part of the other half. A fleet of
            // devices refused together (a server at its handshake cap) would otherwise retry in
            // lockstep waves every backoff period, as no real fleet does.
            try? await Task.sleep(for: backoff / 2 + backoff / 2 * Double.random(in: 0...1))
            backoff = min(backoff * 2, configuration.maximumBackoff)
            if events.connectCountSinceLastBackoffReset() > 0 { backoff = configuration.initialBackoff }
        }
        events.update(.stopped)
    }

    /// One connection attempt; returns the reason it ended.
    private func connectOnce() async -> String {
        var config = configuration
        if config.faults.wrongPassword { config.password += "-wrong" }
        let machine = CIRAClientStateMachine(
            uuid: config.uuid, username: config.username, password: config.password, ports: config.forwardedPorts)
        let tls = self.tls
        let firmware = self.firmware
        let events = self.events
        let commonName = config.tls.insecure ? nil : config.tls.commonName
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        OpenSSLHandler(context: tls, serverName: commonName),
                        CIRAClientHandler(machine: machine, firmware: firmware, faults: config.faults, events: events),
                    ])
                }
            }
        if let source = config.sourceAddress {
            bootstrap = bootstrap.bind(to: (try? SocketAddress(ipAddress: source, port: 0)) ?? .init(localAddress: ()))
        }
        events.beginAttempt()
        do {
            let channel = try await bootstrap.connect(host: config.serverHost, port: config.serverPort).get()
            events.setChannel(channel)
            // stop() may have run while connecting, before the channel was known: close it now.
            if events.isStopped { try? await channel.close() }
            try? await channel.closeFuture.get()
            events.setChannel(nil)
        } catch {
            events.failed("cannot connect to \(config.serverHost):\(config.serverPort): \(error)")
        }
        return events.lastError ?? "connection closed"
    }
}

private extension SocketAddress {
    /// Placeholder for an unbindable source address (falls back to any).
    init(localAddress: ()) { self = try! SocketAddress(ipAddress: "0.0.0.0", port: 0) }
}

extension SimulatedDevice {
    /// State shared between the device and its connection handlers.
    final class Events: Sendable {
        private struct State {
            var status: Status = .idle
            var connectCount = 0
            var disconnectCount = 0
            var connectsSinceBackoff = 0
            var lastError: String?
            var stopped = false
            var channel: (any Channel)?
            var task: Task<Void, Never>?
        }

        private let state = Mutex(State())

        var status: Status { state.withLock { $0.status } }
        var connectCount: Int { state.withLock { $0.connectCount } }
        var disconnectCount: Int { state.withLock { $0.disconnectCount } }
        var lastError: String? { state.withLock { $0.lastError } }
        var isStopped: Bool { state.withLock { $0.stopped } }
        var channel: (any Channel)? { state.withLock { $0.channel } }
        var task: Task<Void, Never>? { state.withLock { $0.task } }

        func update(_ status: Status) { state.withLock { $0.status = status } }
        func setChannel(_ channel: (any Channel)?) { state.withLock { $0.channel = channel } }
        func setTask(_ task: Task<Void, Never>) { state.withLock { $0.task = task } }
        func stop() { state.withLock { $0.stopped = true } }
        func beginAttempt() { state.withLock { $0.lastError = nil } }

        func established() {
            state.withLock {
                $0.status = .connected
                $0.connectCount += 1
                $0.connectsSinceBackoff += 1
            }
        }

        func failed(_ reason: String) {
            state.withLock { if $0.lastError == nil { $0.lastError = reason } }
        }

        func disconnected() {
            state.withLock {
                $0.disconnectCount += 1
                if $0.status == .connected { $0.status = .reconnecting(lastError: $0.lastError ?? "connection closed") }
            }
        }

        func connectCountSinceLastBackoffReset() -> Int {
            state.withLock { state in
                defer { state.connectsSinceBackoff = 0 }
                return state.connectsSinceBackoff
            }
        }
    }
}
