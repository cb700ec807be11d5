import TetherPluginKit

/// Runs one action's WS-Man steps through host commands and checks each result. The result of
/// an action is the neutral result of its `amt.power.change`: `{returnValue, returnValueName,
/// replyHeader}`; a refusal is a `device_error` whose detail is `{step, sent, returnValue,
/// returnValueName}`.
struct PowerSequence {
    let host: PluginHostConnection
    let guid: String

    func run(_ spec: PowerActionSpec, useSOL: Bool) async throws -> JSONValue {
        // Every action resets the one-time boot options first (Open AMT's list, which the host
        // holds: `clearOneTimeOptions`); boot actions then set theirs.
        var wanted: [String: JSONValue] = [:]
        if let boot = spec.boot {
            wanted["BIOSSetup"] = .bool(boot.biosSetup)
            wanted["UseIDER"] = .bool(boot.useIDER)
            wanted["IDERBootDevice"] = .number(boot.iderBootDevice)
            wanted["UseSOL"] = .bool(useSOL)
        }
        // The host reads AMT_BootSettingData and writes it back with these options only when one
        // differs: the instance never crosses to this plugin. A failure names the call that
        // failed ("Get AMT_BootSettingData" or "Put AMT_BootSettingData").
        _ = try await step(
            "AMT_BootSettingData", "amt.boot.settings.apply", ["settings": .object(wanted), "clearOneTimeOptions": true],
            prefixedByCall: true)
        if let boot = spec.boot {
            try checkReturnValue("SetBootConfigRole", try await step("SetBootConfigRole", "amt.boot.role", ["role": 1]))
            let order: [String: JSONValue] = boot.source.map { ["source": .string($0)] } ?? [:]
            try checkReturnValue("ChangeBootOrder", try await step("ChangeBootOrder", "amt.boot.order", order))
        }
        let power = try await step("RequestPowerStateChange", "amt.power.change", ["powerState": .number(spec.powerState)])
        try checkReturnValue("RequestPowerStateChange", power)
        host.log(.info, "power action \(spec.code) (\(spec.name)) done for \(guid)")
        return power
    }

    /// Runs a host command for `guid`; a failure names the step and says whether the power
    /// change may have reached the device (`sent`: false = nothing changed; true = sent, outcome
    /// unknown). Each step ends a little before the request's deadline, so that this plugin, not
    /// the host's timer, gets to give that answer. With `prefixedByCall`, the step is a command
    /// of several WS-Man calls, and a failure is named after the one in its `detail.call`
    /// (`Get AMT_BootSettingData`; `Apply …` when it failed before any call).
    private func step(
        _ name: String, _ command: String, _ args: [String: JSONValue], prefixedByCall: Bool = false
    ) async throws -> JSONValue {
        var arguments = args
        arguments["guid"] = .string(guid)
        do {
            return try await host.submit(command, args: .object(arguments), timeout: Self.stepBudget())
        } catch {
            let name = prefixedByCall ? "\(error.detail?["call"]?.stringValue ?? "Apply") \(name)" : name
            let sent = name == "RequestPowerStateChange" && !Self.neverReachedDevice.contains(error.code)
            var detail: [String: JSONValue] = ["step": .string(name), "code": .string(error.code), "sent": .bool(sent)]
            if let inner = error.detail { detail["detail"] = inner }
            let outcome = sent ? "sent, outcome unknown" : "not sent"
            throw PluginError(
                status: error.status, code: error.code, message: "step \(name) failed (\(outcome)): \(error.message)",
                detail: .object(detail))
        }
    }

    /// Failures that prove the power change was not carried out.
    static let neverReachedDevice: Set<String> = ["not_connected", "not_found", "bad_request", "unauthorized", "unavailable"]

    /// The time a step may take: what is left of the request, less a margin for the answer.
    static func stepBudget() -> Duration? {
        guard let remaining = PluginRequest.remaining else { return nil }
        return remaining - min(.milliseconds(250), remaining / 4)
    }

    /// Fails unless the method result `{returnValue, returnValueName}` says 0.
    private func checkReturnValue(_ name: String, _ result: JSONValue) throws {
        guard let value = result["returnValue"]?.intValue else { throw failure(name, "the reply has no ReturnValue") }
        guard value == 0 else {
            let text = result["returnValueName"]?.stringValue ?? "?"
            throw PluginError.failure(
                "step \(name) failed: the device returned \(value) (\(text))", code: "device_error",
                detail: [
                    "step": .string(name), "sent": .bool(name == "RequestPowerStateChange"),
                    "returnValue": .number(value), "returnValueName": .string(text),
                ])
        }
    }

    private func failure(_ name: String, _ message: String) -> PluginError {
        PluginError.failure(
            "step \(name) failed: \(message)", code: "device_error",
            detail: ["step": .string(name), "sent": .bool(name == "RequestPowerStateChange")])
    }
}
