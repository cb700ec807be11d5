import TetherJSON

/// What `tether plugins list` shows for one plugin file: loaded, disabled, or refused and why.
public struct PluginRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case loaded
        case disabled
        case failed
    }

    public var path: String
    public var status: Status
    public var id: String?
    public var name: String?
    public var version: String?
    public var abi: String?
    public var contributions: [String: JSONValue]
    /// Why the plugin was refused or disabled.
    public var reason: String?

    public init(
        path: String, status: Status, id: String? = nil, name: String? = nil, version: String? = nil,
        abi: String? = nil, contributions: [String: JSONValue] = [:], reason: String? = nil
    ) {
        self.path = path
        self.status = status
        self.id = id
        self.name = name
        self.version = version
        self.abi = abi
        self.contributions = contributions
        self.reason = reason
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "path": .string(path), "status": .string(status.rawValue),
            "contributions": .object(contributions),
        ]
        if let id { object["id"] = .string(id) }
        if let name { object["name"] = .string(name) }
        if let version { object["version"] = .string(version) }
        if let abi { object["abi"] = .string(abi) }
        if let reason { object["reason"] = .string(reason) }
        return .object(object)
    }
}
