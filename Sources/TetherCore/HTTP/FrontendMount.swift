import PluginHost
import TetherJSON

/// One front end served by the HTTP listener: requests under `prefix` go to plugin `pluginID`.
public struct FrontendMount: Sendable, Equatable {
    /// The front end's name from its `tether.frontend.http/1` manifest (e.g. `rest`).
    public var name: String
    public var pluginID: String
    /// Normalised mount path: starts with `/`, no trailing `/` (e.g. `/api/v1`).
    public var prefix: String
    /// The host's own bearer-token check, declared by the manifest (see `FrontendAccess`).
    public var access = FrontendAccess()
    /// How the host answers when calling the plugin fails (declared by the manifest's `failureBodies`).
    var failureReplies = FrontendFailureReplies()

    /// Parses a configured `name:/mount` entry; nil when malformed.
    static func parse(_ entry: String) -> (name: String, prefix: String)? {
        guard let colon = entry.firstIndex(of: ":") else { return nil }
        let name = String(entry[..<colon])
        guard !name.isEmpty, let prefix = normalise(String(entry[entry.index(after: colon)...])) else { return nil }
        return (name, prefix)
    }

    /// `/a/b/` → `/a/b`; nil when not an absolute path of plain segments.
    static func normalise(_ mount: String) -> String? {
        guard mount.hasPrefix("/") else { return nil }
        let segments = mount.split(separator: "/")
        guard segments.allSatisfy({ $0 != "." && $0 != ".." && !$0.contains("%") && !$0.contains("?") }) else { return nil }
        return "/" + segments.joined(separator: "/")
    }

    /// `path` relative to the prefix (`/` for the prefix itself), lower-cased.
    func relativePath(_ path: String) -> String {
        let lower = path.lowercased()
        let rest = prefix == "/" ? lower : String(lower.dropFirst(prefix.count))
        return rest.isEmpty ? "/" : rest
    }

    /// True when `path` is the prefix itself or below it (case-insensitive, segment-aligned).
    func contains(path: String) -> Bool {
        let lowerPath = path.lowercased()
        let lowerPrefix = prefix.lowercased()
        if lowerPrefix == "/" { return true }
        return lowerPath == lowerPrefix || lowerPath.hasPrefix(lowerPrefix + "/")
    }

    /// The mounts: every contributing plugin at its manifest's mount, or — when `configured` is
    /// not empty — exactly the configured `name:/mount` entries. Unknown names and two front
    /// ends on one mount are configuration errors.
    static func resolve(
        contributions: [(pluginID: String, manifest: JSONValue)], configured: [String]
    ) throws(ConfigurationError) -> [FrontendMount] {
        var available: [String: (pluginID: String, prefix: String?, access: FrontendAccess, failures: FrontendFailureReplies)] = [:]
        for (pluginID, manifest) in contributions {
            guard let name = manifest["name"]?.stringValue, !name.isEmpty else {
                throw ConfigurationError("plugin \(pluginID): tether.frontend.http/1 manifest lacks a 'name'")
            }
            if let other = available[name] {
                throw ConfigurationError("front end name '\(name)' is declared by both \(other.pluginID) and \(pluginID)")
            }
            available[name] = (
                pluginID, manifest["mount"]?.stringValue.flatMap(normalise), FrontendAccess(manifest: manifest),
                try FrontendFailureReplies(manifest: manifest, pluginID: pluginID)
            )
        }
        var mounts: [FrontendMount] = []
        if configured.isEmpty {
            for (name, entry) in available.sorted(by: { $0.key < $1.key }) {
                guard let prefix = entry.prefix else {
                    throw ConfigurationError("plugin \(entry.pluginID): front end '\(name)' declares no valid 'mount'")
                }
                mounts.append(FrontendMount(name: name, pluginID: entry.pluginID, prefix: prefix, access: entry.access, failureReplies: entry.failures))
            }
        } else {
            for item in configured {
                guard let (name, prefix) = parse(item) else { throw ConfigurationError("frontends: malformed entry '\(item)'") }
                guard let entry = available[name] else {
                    throw ConfigurationError("frontends: no loaded plugin provides the front end '\(name)'")
                }
                mounts.append(FrontendMount(name: name, pluginID: entry.pluginID, prefix: prefix, access: entry.access, failureReplies: entry.failures))
            }
        }
        var seen = Set<String>()
        for mount in mounts {
            guard mount.prefix.lowercased() != "/metrics" else {
                throw ConfigurationError("front end '\(mount.name)' cannot be mounted at /metrics (the host serves it)")
            }
            guard seen.insert(mount.prefix.lowercased()).inserted else {
                throw ConfigurationError("two front ends are mounted at \(mount.prefix)")
            }
        }
        // Longest prefix first, so /api/v1/x wins over /api.
        return mounts.sorted { $0.prefix.count > $1.prefix.count }
    }
}
