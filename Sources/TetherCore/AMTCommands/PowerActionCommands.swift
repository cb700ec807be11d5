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
    /// Conflicts already logged (each is reported once).
    let reported = Mutex<Set<String>>([])

    init(
        bus: CommandBus, plugins: PluginHost, precedence: [String], isConnected: @escaping @Sendable (String) -> Bool,
        actionTimeout: Duration, logger: Logger
    ) {
        self.bus = bus
        self.plugins = plugins
        self.precedence = precedence
        self.isConnected = isConnected
        self.actionTimeout = actionTimeout
        self.logger = logger
    }

    func catalog() -> PowerActionCatalog {
        let catalog = PowerActionCatalog(
            plugins: plugins.plugins(contributing: "tether.power-actions/1").map { ($0.plugin.id, $0.manifest) },
            precedence: precedence)
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
                throw CommandError(.notFound, "Device not found/connected. Please connect again using CIRA. (guid \(guid))")
            }
            let request: JSONValue = [
                "op": "power.action", "guid": .string(guid),
                "action": ["code": .number(action.code), "name": .string(action.name)],
                "useSOL": .bool(args["useSOL"]?.boolValue ?? false),
            ]
            self.logger.info("power action", metadata: ["guid": "\(guid)", "action": "\(action.code)", "plugin": "\(action.pluginID)"])
            return try await self.plugins.call(pluginID: action.pluginID, request: request, timeout: self.actionTimeout)
        }
    }
}
