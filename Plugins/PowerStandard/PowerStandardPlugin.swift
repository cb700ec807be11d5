import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: PowerStandardPlugin.info, plugin: PowerStandardPlugin.self)
}

/// The Open AMT power and boot actions (`tether.power-actions/1`), built only from host
/// commands (`amt.boot.settings.apply`, `amt.boot.role`, `amt.boot.order`, `amt.power.change`).
///
/// Every action first has `AMT_BootSettingData` hold the one-time boot options reset (boot
/// actions set theirs), as Open AMT's MPS does — the host reads it and writes it back only when
/// something differs; boot actions then force the boot configuration role and order before the
/// power change. Each step's result is checked: a failure names the step and the device's
/// answer. No configuration.
final class PowerStandardPlugin: TetherPlugin {
    static let info = PluginInfo(id: "io.tether.power-standard", name: "Standard power actions", version: "1.0.0")

    private let host: PluginHostConnection

    init(host: PluginHostConnection, config: JSONValue) throws {
        self.host = host
    }

    var extensions: [String: JSONValue] {
        ["tether.power-actions/1": ["actions": .array(PowerActionSpec.all.map(\.manifest))]]
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        guard request["op"]?.stringValue == "power.action" else {
            throw PluginError.unsupported("power-standard only answers power.action requests")
        }
        guard let guid = request["guid"]?.stringValue else { throw PluginError.badRequest("power.action needs 'guid'") }
        guard let code = request["action"]?["code"]?.intValue, let spec = PowerActionSpec.all.first(where: { $0.code == code }) else {
            throw PluginError.badRequest("power-standard does not implement action \(request["action"]?.jsonString ?? "(none)")")
        }
        let useSOL = request["useSOL"]?.boolValue ?? false
        return try await PowerSequence(host: host, guid: guid).run(spec, useSOL: useSOL)
    }
}
