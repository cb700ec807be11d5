import AMT
import PluginHost
import TetherJSON

extension TetherEvent {
    /// `power.action.finished` for an action the device accepted: `{code, name, result:"success", returnValue}`.
    static func powerActionFinished(guid: String, code: Int, name: String, result: JSONValue) -> TetherEvent {
        var fields: [String: JSONValue] = ["code": .number(code), "name": .string(name), "result": "success"]
        if let value = result["returnValue"] { fields["returnValue"] = value }
        return TetherEvent(type: "power.action.finished", guid: guid, fields: fields)
    }

    /// `power.action.finished` for a failed action: `{code, name, result, error, failingStep?, returnValue?}`;
    /// `result` is the `tether_power_actions_total` result label.
    static func powerActionFinished(
        guid: String, code: Int, name: String, error: any Error, result: PowerActionResult
    ) -> TetherEvent {
        var fields: [String: JSONValue] = ["code": .number(code), "name": .string(name), "result": .string(result.rawValue)]
        if let error = error as? CommandError {
            fields["error"] = .string(error.message)
            if let step = error.detail?["step"]?.stringValue { fields["failingStep"] = .string(step) }
            if let value = error.detail?["returnValue"] { fields["returnValue"] = value }
        } else {
            fields["error"] = .string("\(error)")
        }
        return TetherEvent(type: "power.action.finished", guid: guid, fields: fields)
    }
}
