import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: DiagnosticsPlugin.info, plugin: DiagnosticsPlugin.self)
}

/// A bundled plugin that reports on the host itself, built only on host commands:
/// `diagnostics.summary` counts commands per provider and namespace and plugins per status;
/// `diagnostics.sample` runs a host command repeatedly (e.g. `cira.stats` every second) and
/// returns the series. Sampling is cancellable: the host's `cancel` and `destroy` end it at once.
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
                    ],
                    [
                        "name": "diagnostics.sample",
                        "summary": "Run a host command repeatedly: {command, args?, count 1-1000, intervalMs 10-60000} → {samples}",
                    ],
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
        case "diagnostics.sample": return try await sample(request["args"] ?? [:])
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

    private func sample(_ args: JSONValue) async throws -> JSONValue {
        guard let command = args["command"]?.stringValue, !command.isEmpty else {
            throw PluginError.badRequest("diagnostics.sample needs {\"command\": string}")
        }
        guard command != "diagnostics.sample" else { throw PluginError.badRequest("diagnostics.sample cannot sample itself") }
        let count = args["count"]?.intValue ?? 5
        let interval = args["intervalMs"]?.intValue ?? 1000
        guard (1...1000).contains(count), (10...60_000).contains(interval) else {
            throw PluginError.badRequest("count must be 1–1000 and intervalMs 10–60000")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var samples: [JSONValue] = []
        for index in 0..<count {
            if index > 0 { try await Task.sleep(for: .milliseconds(interval)) }
            let elapsed = clock.now - start
            let result = try await host.submit(command, args: args["args"] ?? [:])
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            samples.append(["atMs": .int(milliseconds), "result": result])
        }
        return ["command": .string(command), "samples": .array(samples)]
    }
}
