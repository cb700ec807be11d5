import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: DiagnosticsPlugin.info, plugin: DiagnosticsPlugin.self)
}

/// A bundled plugin that reports on the host itself, built only on host commands:
/// `diagnostics.summary` counts commands per provider and namespace and plugins per status.
///
/// Configuration: `{"site": "name"}` — a label echoed in every summary.
final class DiagnosticsPlugin: TetherPlugin {
    static let info = PluginInfo(id: "io.tether.diagnostics", name: "Diagnostics", version: "1.0.0")

    private let host: PluginHostConnection
    private let site: String?

    init(host: PluginHostConnection, config: JSONValue) throws {
        if let site = config["site"], site.stringValue == nil {
            throw PluginError.badRequest("configuration member 'site' must be a string")
        }
        self.host = host
        self.site = config["site"]?.stringValue
    }

    var extensions: [String: JSONValue] {
        [
            "tether.commands/1": [
                "commands": [
                    [
                        "name": "diagnostics.summary",
                        "summary": "Count host commands by provider and namespace, and plugins by status",
                    ]
                ]
            ]
        ]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        guard request["op"]?.stringValue == "command" else {
            throw PluginError.unsupported("diagnostics only answers commands")
        }
        switch request["command"]?.stringValue {
        case "diagnostics.summary": return try await summary()
        default: throw PluginError.unsupported("unknown command \(request["command"]?.stringValue ?? "(none)")")
        }
    }

    private func summary() async throws -> JSONValue {
        let commands = try await host.submit("host.commands")["commands"]?.arrayValue ?? []
        let plugins = try await host.submit("host.plugins")["plugins"]?.arrayValue ?? []
        var byProvider: [String: Int] = [:]
        var byNamespace: [String: Int] = [:]
        for command in commands {
            byProvider[command["provider"]?.stringValue ?? "?", default: 0] += 1
            let name = command["name"]?.stringValue ?? ""
            let namespace = name.split(separator: ".").first.map(String.init) ?? name
            byNamespace[namespace, default: 0] += 1
        }
        var byStatus: [String: Int] = [:]
        for plugin in plugins { byStatus[plugin["status"]?.stringValue ?? "?", default: 0] += 1 }
        host.log(.debug, "summary computed over \(commands.count) commands and \(plugins.count) plugins")
        return [
            "hostVersion": .string(host.hostVersion),
            "site": site.map(JSONValue.string) ?? .null,
            "commandCount": .number(commands.count),
            "commandsByProvider": .object(byProvider.mapValues(JSONValue.number)),
            "commandsByNamespace": .object(byNamespace.mapValues(JSONValue.number)),
            "pluginsByStatus": .object(byStatus.mapValues(JSONValue.number)),
        ]
    }
}
