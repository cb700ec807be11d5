import Logging
import ServiceLifecycle

extension TetherHost {
    /// The started host's parts as services of one `ServiceGroup`, in start order: the plugins,
    /// the connection-event recorder, the CIRA server, the control socket, the HTTP(S) listeners.
    /// Each runs until the group shuts down gracefully and then stops its part; the group stops
    /// them in reverse order, so the listeners stop accepting and drain their in-flight requests
    /// (power actions included) first, within ``TetherConfiguration/shutdownDrainTimeout``; then
    /// the tunnels close, the connection events are flushed and the plugins are destroyed.
    public func lifecycleServices() -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let parts: [(String, @Sendable () async -> Void)] = [
            ("plugins", { [self] in await stopPlugins() }),
            ("connection-events", { [self] in await flushConnectionEvents() }),
            ("cira", { [self] in await stopCIRA() }),
            ("control-socket", { [self] in await stopControlSocket(until: drainDeadline()) }),
            ("http", { [self] in await stopHTTP(until: drainDeadline()) }),
        ]
        return parts.map { name, stop in
            .init(service: HostPartService(stop: stop), successTerminationBehavior: .gracefullyShutdownGroup, serviceName: name)
        }
    }

    /// A service group of ``lifecycleServices()`` without signal handling (the caller triggers
    /// graceful shutdown). A shutdown still running `backstop` after the drain deadline is
    /// escalated to cancellation.
    public func serviceGroup(backstop: Duration = .seconds(30)) -> ServiceGroup {
        var group = ServiceGroupConfiguration(services: lifecycleServices(), logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownDrainTimeout + backstop
        group.maximumCancellationDuration = .seconds(5)
        return ServiceGroup(configuration: group)
    }

    /// Stops everything in the same order as the service group, without one: listeners drain
    /// until the shared deadline, tunnels close, events are flushed, plugins are destroyed.
    func stopAll() async {
        let deadline = drainDeadline()
        await stopHTTP(until: deadline)
        await stopControlSocket(until: deadline)
        await stopCIRA()
        await flushConnectionEvents()
        await stopPlugins()
    }

    /// The end of the drain period: fixed by the first part that starts shutting down.
    func drainDeadline() -> ContinuousClock.Instant {
        running.withLock { state in
            if let deadline = state.drainDeadline { return deadline }
            let deadline = ContinuousClock.now + configuration.shutdownDrainTimeout
            state.drainDeadline = deadline
            return deadline
        }
    }

    /// Removes a started part from the running state (so each is stopped once) and returns it.
    private func take<Part: Sendable>(_ part: WritableKeyPath<Running, Part?>) -> Part? {
        running.withLock { state in
            defer { state[keyPath: part] = nil }
            return state[keyPath: part]
        }
    }

    func stopControlSocket(until deadline: ContinuousClock.Instant) async {
        guard let control = take(\.control) else { return }
        if await !control.stop(until: deadline) {
            logger.warning("control-socket commands were still running at the shutdown deadline")
        }
    }

    func stopCIRA() async {
        guard let cira = take(\.cira) else { return }
        await cira.stop()
    }

    /// Writes the pending connection events; every tunnel has closed by now, so the disconnect
    /// events are among them.
    func flushConnectionEvents() async {
        guard let recorder = take(\.recorder) else { return }
        await recorder.flush()
    }

    /// Marks this instance's devices offline and destroys the plugins (once).
    func stopPlugins() async {
        let first = running.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        if let store {
            _ = try? await store.devices.clearInstance(configuration.instanceName)
        }
        await plugins.shutdown()
        logger.info("host stopped")
    }
}

/// One part of the host as a service: waits for the group's graceful shutdown (or
/// cancellation), then stops the part.
private struct HostPartService: Service {
    let stop: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
