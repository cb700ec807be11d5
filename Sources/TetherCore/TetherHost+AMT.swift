import AMT
import PluginHost

extension TetherHost {
    /// Registers `wsman.invoke`, `amt.*` and `power.*` (issue 5). The WS-Man clients look up the
    /// device's CIRA session and its AMT password (store) on demand.
    func registerAMTCommands() {
        var clientConfiguration = AMTClientConfiguration()
        clientConfiguration.callTimeout = configuration.amtCallTimeout
        let registry = AMTClientRegistry(
            configuration: clientConfiguration,
            sessions: { [weak self] guid in self?.ciraServer?.session(for: guid) },
            password: { [weak self] guid throws(AMTError) in
                try await AMTCommandSupport.password(store: self?.store, guid: guid)
            },
            logger: logger, metrics: amtMetrics)
        AMTDeviceCommands(bus: bus, registry: registry).register()
        AMTMaintenanceCommands(
            bus: bus, registry: registry, isConnected: { [weak self] guid in self?.ciraServer?.session(for: guid) != nil },
            store: { [weak self] in self?.store }, logger: logger
        ).register()
        PowerActionCommands(
            bus: bus, plugins: plugins, precedence: configuration.powerActionPrecedence,
            isConnected: { [weak self] guid in self?.ciraServer?.session(for: guid) != nil },
            // A boot action is up to five WS-Man calls.
            actionTimeout: configuration.amtCallTimeout * 6, logger: logger, metrics: amtMetrics, events: events
        ).register()
    }

    /// Logs every power-action conflict between loaded plugins (call after loading plugins).
    public func reportPowerActionConflicts() {
        _ = PowerActionCommands(
            bus: bus, plugins: plugins, precedence: configuration.powerActionPrecedence, isConnected: { _ in false },
            actionTimeout: .seconds(1), logger: logger
        ).catalog()
    }
}
