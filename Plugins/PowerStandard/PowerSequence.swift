import TetherPluginKit

/// Runs one action's WS-Man steps through host commands and checks each result.
struct PowerSequence {
    let host: PluginHostConnection
    let guid: String

    /// Boot options every action resets first (Open AMT's list), then overridden per action.
    static let clearedOptions: [String: JSONValue] = [
        "BIOSPause": false, "BIOSSetup": false, "BootMediaIndex": 0, "ConfigurationDataReset": false,
        "FirmwareVerbosity": 0, "ForcedProgressEvents": false, "IDERBootDevice": 0, "LockKeyboard": false,
        "LockPowerButton": false, "LockResetButton": false, "LockSleepButton": false, "ReflashBIOS": false,
        "UseIDER": false, "UseSOL": false, "UseSafeMode": false, "UserPasswordBypass": false, "SecureErase": false,
    ]

    func run(_ spec: PowerActionSpec, useSOL: Bool) async throws -> JSONValue {
        let current = try await step("Get AMT_BootSettingData", "amt.boot.settings.get", [:])
        guard var settings = current["AMT_BootSettingData"]?.objectValue else {
            throw failure("Get AMT_BootSettingData", "the reply has no AMT_BootSettingData instance")
        }
        for (name, value) in Self.clearedOptions { settings[name] = value }
        if let boot = spec.boot {
            settings["BIOSSetup"] = .bool(boot.biosSetup)
            settings["UseIDER"] = .bool(boot.useIDER)
            settings["IDERBootDevice"] = .number(boot.iderBootDevice)
            settings["UseSOL"] = .bool(useSOL)
        }
        _ = try await step("Put AMT_BootSettingData", "amt.boot.settings.put", ["settings": .object(settings)])
        if let boot = spec.boot {
            try checkReturnValue("SetBootConfigRole", try await step("SetBootConfigRole", "amt.boot.role", ["role": 1]))
            let order: [String: JSONValue] = boot.source.map { ["source": .string($0)] } ?? [:]
            try checkReturnValue("ChangeBootOrder", try await step("ChangeBootOrder", "amt.boot.order", order))
        }
        let power = try await step("RequestPowerStateChange", "amt.power.change", ["powerState": .number(spec.powerState)])
        guard let body = power["Body"] else { throw failure("RequestPowerStateChange", "the reply has no Body") }
        try checkReturnValue("RequestPowerStateChange", body)
        host.log(.info, "power action \(spec.code) (\(spec.name)) done for \(guid)")
        return ["Header": power["Header"] ?? .object([:]), "Body": body]
    }

    /// Runs a host command for `guid`; a failure names the step.
    private func step(_ name: String, _ command: String, _ args: [String: JSONValue]) async throws -> JSONValue {
        var arguments = args
        arguments["guid"] = .string(guid)
        do {
            return try await host.submit(command, args: .object(arguments))
        } catch {
            var detail: [String: JSONValue] = ["step": .string(name), "code": .string(error.code)]
            if let inner = error.detail { detail["detail"] = inner }
            throw PluginError(status: error.status, code: error.code, message: "step \(name) failed: \(error.message)", detail: .object(detail))
        }
    }

    /// Fails unless `{ReturnValue, ReturnValueStr}` says 0.
    private func checkReturnValue(_ name: String, _ result: JSONValue) throws {
        guard let value = result["ReturnValue"]?.intValue else { throw failure(name, "the reply has no ReturnValue") }
        guard value == 0 else {
            let text = result["ReturnValueStr"]?.stringValue ?? "?"
            throw PluginError.failure(
                "step \(name) failed: the device returned \(value) (\(text))", code: "device_failure",
                detail: ["step": .string(name), "Body": ["ReturnValue": .number(value), "ReturnValueStr": .string(text)]])
        }
    }

    private func failure(_ name: String, _ message: String) -> PluginError {
        PluginError.failure("step \(name) failed: \(message)", code: "device_failure", detail: ["step": .string(name)])
    }
}
