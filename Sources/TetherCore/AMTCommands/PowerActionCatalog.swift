import PluginHost
import TetherJSON

/// The power actions contributed by plugins through `tether.power-actions/1`
/// (`{"actions":[{"code","name","description"}]}`), with the owner of each action resolved.
/// When several plugins claim a code (or a name), the first of them in `precedence` wins,
/// else the one with the smallest id; the conflict is reported. A plain value.
struct PowerActionCatalog: Sendable {
    struct Action: Sendable {
        var code: Int
        var name: String
        var description: String
        var pluginID: String

        var json: JSONValue {
            ["code": .number(code), "name": .string(name), "description": .string(description), "plugin": .string(pluginID)]
        }
    }

    private(set) var actions: [Action] = []
    /// Human-readable conflict reports (one per contested code).
    private(set) var conflicts: [String] = []

    init(plugins: [(id: String, manifest: JSONValue)], precedence: [String]) {
        func rank(_ id: String) -> (Int, String) { (precedence.firstIndex(of: id) ?? precedence.count, id) }
        var byCode: [Int: [Action]] = [:]
        for plugin in plugins {
            for entry in plugin.manifest["actions"]?.arrayValue ?? [] {
                guard let code = entry["code"]?.intValue, let name = entry["name"]?.stringValue else { continue }
                byCode[code, default: []].append(Action(
                    code: code, name: name, description: entry["description"]?.stringValue ?? "", pluginID: plugin.id))
            }
        }
        for code in byCode.keys.sorted() {
            let claims = byCode[code]!.sorted { rank($0.pluginID) < rank($1.pluginID) }
            let winner = claims[0]
            if claims.count > 1 {
                conflicts.append(
                    "power action \(code) is contributed by \(claims.map(\.pluginID).joined(separator: ", ")); "
                        + "using \(winner.pluginID) (set powerActionPrecedence to choose)")
            }
            actions.append(winner)
        }
        // A name must resolve to one action: a later code cannot reuse a name.
        var names: [String: Action] = [:]
        actions = actions.filter { action in
            let key = action.name.lowercased()
            if let other = names[key] {
                conflicts.append("power action name '\(action.name)' (code \(action.code), \(action.pluginID)) "
                    + "is already used by code \(other.code) (\(other.pluginID)); ignored")
                return false
            }
            names[key] = action
            return true
        }
    }

    /// The action named by a code (number or decimal string) or a name (case-insensitive).
    func resolve(_ value: JSONValue?) throws(CommandError) -> Action {
        let code = value?.intValue ?? value?.stringValue.flatMap { Int($0) }
        let found = code.map { code in actions.first { $0.code == code } }
            ?? value?.stringValue.map { name in actions.first { $0.name.lowercased() == name.lowercased() } }
        if let found, let action = found { return action }
        let valid = actions.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
        let given = value.map { $0.stringValue ?? $0.jsonString } ?? "(none)"
        throw CommandError(
            .badRequest, "unknown power action '\(given)'; valid actions: \(valid.isEmpty ? "none (no plugin contributes power actions)" : valid)",
            detail: ["validActions": .array(actions.map(\.json))])
    }
}
