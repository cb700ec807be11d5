import Logging
import PluginHost
import TetherJSON

/// What a plugin asks for under `tether.events/1`: either one subscription
/// `{"types":["device.*"],"queue"?:N,"timeoutSeconds"?:S}` or several
/// `{"subscriptions":[{"name","types","queue"?,"timeoutSeconds"?},…]}` (each with its own queue,
/// so a slow consumer in the plugin, e.g. one webhook endpoint, does not hold up the others).
struct PluginEventSubscriptions {
    struct Entry: Equatable {
        var name: String
        var patterns: [EventTypePattern]
        var capacity: Int
        var timeout: Duration
    }

    static let extensionID = ExtensionID.events
    static let maxQueue = 100_000
    static let maxTimeoutSeconds = 600.0
    static let maxSubscriptions = 64

    /// The entries of `manifest`, or a message saying what is wrong with it.
    static func parse(_ manifest: JSONValue, defaultTimeout: Duration) -> Result<[Entry], ManifestError> {
        let items: [JSONValue]
        if let list = manifest["subscriptions"] {
            guard let array = list.arrayValue, !array.isEmpty, array.count <= maxSubscriptions else {
                return .failure(ManifestError("'subscriptions' must be an array of 1–\(maxSubscriptions) objects"))
            }
            items = array
        } else {
            items = [manifest]
        }
        var entries: [Entry] = []
        for (index, item) in items.enumerated() {
            let name = item["name"]?.stringValue ?? (items.count == 1 ? "events" : "events-\(index)")
            guard let types = item["types"]?.arrayValue, !types.isEmpty,
                let patterns = EventTypePattern.list(types.compactMap(\.stringValue)), patterns.count == types.count
            else {
                return .failure(ManifestError("subscription '\(name)': 'types' must be a non-empty array of patterns (\"*\", \"device.*\", \"job.finished\")"))
            }
            let capacity = item["queue"]?.intValue ?? 1024
            guard (1...maxQueue).contains(capacity) else {
                return .failure(ManifestError("subscription '\(name)': 'queue' must be 1–\(maxQueue)"))
            }
            var timeout = defaultTimeout
            if let seconds = item["timeoutSeconds"] {
                guard let value = seconds.doubleValue, value > 0, value <= maxTimeoutSeconds else {
                    return .failure(ManifestError("subscription '\(name)': 'timeoutSeconds' must be in (0, \(Int(maxTimeoutSeconds))]"))
                }
                timeout = .milliseconds(Int64(value * 1000))
            }
            guard !entries.contains(where: { $0.name == name }) else {
                return .failure(ManifestError("subscription name '\(name)' is used twice"))
            }
            entries.append(Entry(name: name, patterns: patterns, capacity: capacity, timeout: timeout))
        }
        return .success(entries)
    }

    struct ManifestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Subscribes every plugin that declares `tether.events/1`; a malformed manifest is logged and
    /// skipped (the plugin keeps its other contributions).
    static func subscribeAll(plugins: PluginHost, bus: EventBus, logger: Logger) -> [EventSubscription] {
        var subscriptions: [EventSubscription] = []
        for (plugin, manifest) in plugins.plugins(contributing: extensionID) {
            switch parse(manifest, defaultTimeout: plugins.defaultTimeout) {
            case .failure(let error):
                logger.error("ignoring the plugin's event subscription: \(error)", metadata: ["plugin": "\(plugin.id)"])
            case .success(let entries):
                for entry in entries {
                    let pluginID = plugin.id
                    let subscription = bus.subscribe(
                        name: "\(pluginID)/\(entry.name)", patterns: entry.patterns, capacity: entry.capacity
                    ) { [weak plugins] event in
                        guard let plugins else { return false }
                        let request: JSONValue = ["op": "event", "subscription": .string(entry.name), "event": event.json]
                        do {
                            _ = try await plugins.call(pluginID: pluginID, request: request, timeout: entry.timeout)
                            return true
                        } catch let error as CommandError {
                            logger.debug(
                                "event not taken by plugin: \(error.message)",
                                metadata: ["plugin": "\(pluginID)", "event": "\(event.type)", "code": "\(error.code.rawValue)"])
                            return false
                        } catch {
                            return false
                        }
                    }
                    subscriptions.append(subscription)
                    logger.info(
                        "plugin subscribed to events",
                        metadata: ["plugin": "\(pluginID)", "subscription": "\(entry.name)", "types": "\(entry.patterns.map(\.text).joined(separator: ","))"])
                }
            }
        }
        return subscriptions
    }
}
