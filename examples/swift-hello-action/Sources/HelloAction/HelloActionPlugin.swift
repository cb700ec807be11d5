import TetherPluginKit

/// The plugin's one exported symbol: hands the host this image's descriptor.
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: HelloActionPlugin.info, plugin: HelloActionPlugin.self)
}

/// Contributes power action 950 "hello-power-state": reads the device's power state through the
/// host command `amt.power.state` and answers it with a greeting. A complete, minimal example of
/// a power action written in Swift outside the Tether repository.
final class HelloActionPlugin: TetherPlugin {
    static let info = PluginInfo(id: "com.example.hello-action", name: "Hello action (Swift, out of tree)", version: "1.0.0")

    private let host: PluginHostConnection
    private let greeting: String

    init(host: PluginHostConnection, config: JSONValue) throws {
        if let greeting = config["greeting"], greeting.stringValue == nil {
            throw PluginError.badRequest("configuration member 'greeting' must be a string")
        }
        self.host = host
        self.greeting = config["greeting"]?.stringValue ?? "hello"
    }

    var extensions: [String: JSONValue] {
        [
            "tether.power-actions/1": [
                "actions": [["code": 950, "name": "hello-power-state", "description": "Greets the device with its power state (Swift example)"]]
            ]
        ]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        guard request["op"]?.stringValue == "power.action", let guid = request["guid"]?.stringValue else {
            throw PluginError.unsupported("hello-action answers power.action requests only")
        }
        // Linked to this request: it inherits the request's deadline and is cancelled with it.
        let state = try await host.submit("amt.power.state", args: ["guid": .string(guid)])
        return ["greeting": .string("\(greeting), \(guid)"), "powerState": state["powerState"] ?? .null]
    }
}
