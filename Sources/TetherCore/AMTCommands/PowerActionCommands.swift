import AMT
import Logging
import PluginHost
import Synchronization
import TetherJSON

/// `power.actions` and `power.action`: actions contributed by plugins (`tether.power-actions/1`),
/// dispatched to the plugin that owns each one.
/// Thread-safe.
final class PowerActionCommands: Sendable {
    let bus: CommandBus
    let plugins: PluginHost
    let precedence: [String]
    let isConnected: @Sendable (String) -> Bool
    let actionTimeout: Duration
    let logger: Logger
    /// Counts every dispatched action by code and result (nil: not counted).
    let metrics: AMTMetrics?
    /// Where `power.action.finished` is published (nil: nowhere).
    let events: EventBus?
    /// Conflicts already logged (each is reported once).
    let reported = Mutex<Set<String>>([])
    /// The catalog built for the contributing plugins last seen (rebuilt when they change):
    /// parsing every manifest per action cost 2% of the host's CPU under REST load.
    let cached = Mutex<(plugins: [String], catalog: PowerActionCatalog)?>(nil)

    init(
        bus: CommandBus, plugins: PluginHost, precedence: [String], isConnected: @escaping @Sendable (String) -> Bool,
        actionTimeout: Duration, logger: Logger, metrics: AMTMetrics? = nil, events: EventBus? = nil
    ) {
        self.events = events
        self.metrics = metrics
        self.bus = bus
        self.plugins = plugins
        self.precedence = precedence
        self.isConnected = isConnected
        self.actionTimeout = actionTimeout
        self.logger = logger
    }

    func catalog() -> PowerActionCatalog {
        let contributions = plugins.plugins(contributing: "tether.power-actions/1")
        let ids = contributions.map(\.plugin.id)
        if let cached = cached.withLock({ $0 }), cached.plugins == ids { return cached.catalog }
        let catalog = PowerActionCatalog(plugins: contributions.map { ($0.plugin.id, $0.manifest) }, precedence: precedence)
        cached.withLock { $0 = (ids, catalog) }
        for conflict in catalog.conflicts where reported.withLock({ $0.insert(conflict).inserted }) {
            logger.warning("\(conflict)")
        }
        return catalog
    }

    func register() {
        bus.register(name: "power.actions", summary: "Power actions contributed by plugins → {actions:[{code,name,description,plugin}], conflicts}", provider: "host") {
            _ in
            let catalog = self.catalog()
            return ["actions": .array(catalog.actions.map(\.json)), "conflicts": .array(catalog.conflicts.map(JSONValue.string))]
        }
        bus.register(name: "power.action", summary: "Run a power action {guid, action: code|name, useSOL?} through the plugin that contributes it", provider: "host") {
            args in
            let guid = try AMTCommandSupport.guid(args, command: "power.action")
            let action = try self.catalog().resolve(args["action"])
            if let useSOL = args["useSOL"], useSOL.boolValue == nil {
                throw CommandError(.badRequest, "'useSOL' must be true or false")
            }
            guard self.isConnected(guid) else {
                self.metrics?.recordPowerAction(code: action.code, result: .notConnected)
                throw CommandError(.notConnected, "device \(guid) is not connected (no CIRA tunnel)")
            }
            let request: JSONValue = [
                "op": "power.action", "guid": .string(guid),
                "action": ["code": .number(action.code), "name": .string(action.name)],
                "useSOL": .bool(args["useSOL"]?.boolValue ?? false),
            ]
            self.logger.info("power action", metadata: ["guid": "\(guid)", "action": "\(action.code)", "plugin": "\(action.pluginID)"])
            do {
                let result = try await self.plugins.call(pluginID: action.pluginID, request: request, timeout: self.actionTimeout)
                self.metrics?.recordPowerAction(code: action.code, result: .success)
                self.events?.publish(.powerActionFinished(guid: guid, code: action.code, name: action.name, result: result))
                return result
            } catch {
                self.metrics?.recordPowerAction(code: action.code, result: Self.result(of: error))
                self.events?.publish(.powerActionFinished(guid: guid, code: action.code, name: action.name, error: error, result: Self.result(of: error)))
                throw error
            }
        }
    }

    /// The metrics result of a failed action.
    static func result(of error: any Error) -> PowerActionResult {
        guard let error = error as? CommandError else { return .error }
        switch error.code {
        case .deviceError: return .deviceError
        case .timeout: return .timeout
        case .notConnected, .notFound: return .notConnected
        case .unavailable: return .unavailable
        case .unauthorized: return .unauthorized
        case .cancelled: return .cancelled
        default: return .error
        }
    }
}
