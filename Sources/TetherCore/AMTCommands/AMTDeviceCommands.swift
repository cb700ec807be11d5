import AMT
import PluginHost
import TetherJSON
import WSMan

/// `wsman.invoke` and the typed `amt.*` commands. Each `amt.*` command returns one of the
/// neutral typed results of `Sources/AMT/Results` (documented there and in README "Power
/// actions"); a front end maps them to its own shapes.
struct AMTDeviceCommands {
    let bus: CommandBus
    let registry: AMTClientRegistry

    func register() {
        raw("wsman.invoke", "Any WS-Man call: {guid, resourceUri, action: Get|Put|Delete|Enumerate|Invoke, method?, selectors?, body?} → the reply's envelope") {
            client, args throws(AMTError) in
            try await WSManInvocation(json: args).run(on: client)
        }
        device("amt.power.state", "Power state {guid} → {powerState}") { client, _ throws(AMTError) in
            AMTPowerState(powerState: try await client.powerState())
        }
        device("amt.power.capabilities", "Action codes the device supports {guid} → {actionCodes}") { client, _ throws(AMTError) in
            try await client.powerCapabilities()
        }
        device("amt.power.change", "RequestPowerStateChange {guid, powerState} → {returnValue, returnValueName, replyHeader}") {
            client, args throws(AMTError) in
            guard let state = Self.int(args["powerState"]) else { throw .invalidArgument("amt.power.change needs an integer 'powerState'") }
            return try await client.requestPowerStateChange(state)
        }
        device("amt.boot.settings.get", "Get AMT_BootSettingData {guid} → {settings:{…}}") { client, _ throws(AMTError) in
            try await client.bootSettings()
        }
        device("amt.boot.settings.put", "Put AMT_BootSettingData {guid, settings:{…}} → {settings:{…}} (the device's echo)") {
            client, args throws(AMTError) in
            guard let settings = args["settings"], settings.objectValue != nil else {
                throw .invalidArgument("amt.boot.settings.put needs 'settings': an object of AMT_BootSettingData properties")
            }
            return try await client.putBootSettings(settings)
        }
        device("amt.boot.role", "SetBootConfigRole {guid, role: 0|1|2} → {returnValue, returnValueName}") { client, args throws(AMTError) in
            guard let role = Self.int(args["role"]) else { throw .invalidArgument("amt.boot.role needs an integer 'role'") }
            return try await client.setBootConfigRole(role)
        }
        device("amt.boot.order", "ChangeBootOrder {guid, source?: pxe|cd|hdd|InstanceID} (none clears) → {returnValue, returnValueName}") {
            client, args throws(AMTError) in
            var source: BootSource?
            if let value = args["source"], !value.isNull {
                guard let name = value.stringValue else { throw .invalidArgument("'source' must be a string") }
                source = try AMTDeviceClient.bootSource(named: name)
            }
            return try await client.changeBootOrder(source)
        }
        device("amt.version", "AMT version {guid} → {softwareIdentity:[…], setupAndConfiguration:{…}, replyHeader}") { client, _ throws(AMTError) in
            try await client.version()
        }
        device("amt.generalSettings", "AMT_GeneralSettings {guid} → {generalSettings:{…}, replyHeader}") { client, _ throws(AMTError) in
            try await client.generalSettings()
        }
        device("amt.hardwareInfo", "Hardware inventory {guid} → {classes:{CIM_…:{operation, instances|error}}}") { client, _ throws(AMTError) in
            try await client.hardwareInfo()
        }
    }

    static func int(_ value: JSONValue?) -> Int? {
        value?.intValue ?? value?.stringValue.flatMap { Int($0) }
    }

    /// Registers a command that needs `guid` and returns a typed result from that device's client.
    private func device(
        _ name: String, _ summary: String,
        _ body: @escaping @Sendable (AMTDeviceClient, JSONValue) async throws(AMTError) -> any AMTResult
    ) {
        raw(name, summary) { client, args throws(AMTError) in try await body(client, args).json }
    }

    /// Registers a command that needs `guid` and runs against that device's client.
    private func raw(
        _ name: String, _ summary: String,
        _ body: @escaping @Sendable (AMTDeviceClient, JSONValue) async throws(AMTError) -> JSONValue
    ) {
        let registry = self.registry
        bus.register(name: name, summary: summary, provider: "host") { args in
            let guid = try AMTCommandSupport.guid(args, command: name)
            let client = registry.client(for: guid)
            return try await AMTCommandSupport.run { () throws(AMTError) -> JSONValue in try await body(client, args) }
        }
    }
}
