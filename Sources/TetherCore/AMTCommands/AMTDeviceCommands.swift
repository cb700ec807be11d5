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
        registerBootSettingsApply()
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

    /// `amt.boot.settings.apply {guid, settings, clearOneTimeOptions?}` → `{changed}`: a Get of
    /// `AMT_BootSettingData`, then a Put with `settings` changed (with `clearOneTimeOptions`,
    /// over ``AMTDeviceClient/clearedOneTimeBootOptions``), only when one differs
    /// (``AMTDeviceClient/bootSettingsToPut(_:holding:)``). The power actions' first step in one
    /// crossing: the instance never goes to the caller. A failure's `detail.call` says which
    /// WS-Man call failed (`Get` or `Put`); each call ends a little before the command's
    /// deadline (``callBudget(_:)``), so that a device that does not answer is reported as that
    /// call's timeout rather than as the whole command's.
    private func registerBootSettingsApply() {
        let registry = self.registry
        let name = "amt.boot.settings.apply"
        let summary = "Get AMT_BootSettingData, Put it with {settings} (over the one-time options cleared, with clearOneTimeOptions) changed if one differs (absent counts as off) {guid, settings, clearOneTimeOptions?} → {changed}"
        bus.register(name: name, summary: summary, provider: "host") { args in
            let guid = try AMTCommandSupport.guid(args, command: name)
            guard var wanted = args["settings"]?.objectValue else {
                throw CommandError(.badRequest, "\(name) needs 'settings': an object of AMT_BootSettingData properties")
            }
            if let clear = args["clearOneTimeOptions"], !clear.isNull {
                guard let flag = clear.boolValue else { throw CommandError(.badRequest, "'clearOneTimeOptions' must be true or false") }
                if flag { wanted = AMTDeviceClient.clearedOneTimeBootOptions.merging(wanted) { _, own in own } }
            }
            do throws(AMTError) {
                try AMTDeviceClient.validateBootSettings(wanted)
            } catch {
                throw AMTCommandSupport.commandError(error)
            }
            let client = registry.client(for: guid)
            let current = try await AMTCommandSupport.run(call: "Get") { () throws(AMTError) in
                try await client.bootSettings(timeout: Self.callBudget(client)).settings
            }
            guard let put = AMTDeviceClient.bootSettingsToPut(current, holding: wanted) else { return AMTBootSettingsApplied(changed: false).json }
            _ = try await AMTCommandSupport.run(call: "Put") { () throws(AMTError) in
                try await client.putBootSettings(put, timeout: Self.callBudget(client)).json
            }
            return AMTBootSettingsApplied(changed: true).json
        }
    }

    /// A WS-Man call's timeout inside a command: the client's own, capped by what is left of the
    /// command's deadline less a margin (min(50 ms, a tenth of what is left)).
    static func callBudget(_ client: AMTDeviceClient) -> Duration {
        let own = client.configuration.callTimeout
        guard let deadline = CommandDeadline.current else { return own }
        let left = ContinuousClock.now.duration(to: deadline)
        return max(.zero, min(own, left - min(.milliseconds(50), left / 10)))
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
