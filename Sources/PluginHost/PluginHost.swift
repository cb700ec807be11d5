import CTetherABI
import Foundation
import Logging
import Synchronization
import TetherAsync
import TetherJSON

/// Where to look for plugins.
public struct PluginSearchPath: Sendable, Equatable {
    public var directory: String
    /// Only files whose name starts with this prefix (and ends in `.so`) are considered.
    public var filePrefix: String

    public init(directory: String, filePrefix: String = "") {
        self.directory = directory
        self.filePrefix = filePrefix
    }

    /// The bundled plugins: `libTetherPlugin*.so` next to the running executable.
    public static func bundled(executableDirectory: String = PluginSearchPath.executableDirectory) -> PluginSearchPath {
        PluginSearchPath(directory: executableDirectory, filePrefix: "libTetherPlugin")
    }

    /// The directory of the running executable (from `/proc/self/exe`).
    public static var executableDirectory: String {
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return (resolved as NSString).deletingLastPathComponent
    }
}

/// How each plugin is configured: enabled or not, and the JSON object its `create` receives.
public struct PluginSettings: Sendable {
    public var disabled: Set<String>
    public var configs: [String: JSONValue]

    public init(disabled: Set<String> = [], configs: [String: JSONValue] = [:]) {
        self.disabled = disabled
        self.configs = configs
    }
}

/// Loads plugins, keeps their instances, and routes requests to them with request ids,
/// deadlines and cancellation. Thread-safe.
public final class PluginHost: Sendable {
    public let bus: CommandBus
    let logger: Logger
    /// The deadline applied to a plugin request when the caller gives none.
    public let defaultTimeout: Duration
    /// Requests in flight to plugins and the commands submitted for them.
    let scopes = RequestScopes()

    private let state = Mutex<(plugins: [String: LoadedPlugin], records: [PluginRecord])>(([:], []))

    /// The `struct_size` of the host tables handed out (smaller only in compatibility tests).
    let hostTableSize: Int

    public convenience init(bus: CommandBus, logger: Logger, defaultTimeout: Duration = .seconds(10)) {
        self.init(bus: bus, logger: logger, defaultTimeout: defaultTimeout, hostTableSize: MemoryLayout<tether_host_api>.size)
    }

    /// `hostTableSize` below the full size imitates an older host (tests of plugins' negotiation).
    init(bus: CommandBus, logger: Logger, defaultTimeout: Duration, hostTableSize: Int) {
        self.hostTableSize = hostTableSize
        self.bus = bus
        self.logger = logger
        self.defaultTimeout = defaultTimeout
        bus.register(name: "host.plugins", summary: "List plugin files with their status, ABI and contributions", provider: "host") {
            [weak self] _ in
            .object(["plugins": .array(self?.records().map(\.json) ?? [])])
        }
        bus.register(name: "host.version", summary: "Host version and plugin ABI version", provider: "host") { _ in
            ["version": .string(TetherHostVersion.current), "abi": .string(TetherHostVersion.abiText)]
        }
    }

    /// Plugin requests and plugin-submitted commands in flight (both zero when all the work
    /// requests started has ended).
    public var activity: (requests: Int, submissions: Int) { scopes.counts }

    /// Every plugin file seen so far, in load order.
    public func records() -> [PluginRecord] { state.withLock { $0.records } }

    /// The loaded (enabled) plugins, sorted by id.
    public func loadedPlugins() -> [LoadedPlugin] {
        state.withLock { Array($0.plugins.values) }.sorted { $0.id < $1.id }
    }

    public func plugin(id: String) -> LoadedPlugin? { state.withLock { $0.plugins[id] } }

    /// Plugins that declared a manifest for `extensionID`, sorted by id.
    public func plugins(contributing extensionID: String) -> [(plugin: LoadedPlugin, manifest: JSONValue)] {
        loadedPlugins().compactMap { plugin in plugin.contributions[extensionID].map { (plugin, $0) } }
    }

    /// Scans `paths` (in order; files sorted by name) and loads every plugin found.
    @discardableResult
    public func loadAll(from paths: [PluginSearchPath], settings: PluginSettings = PluginSettings()) -> [PluginRecord] {
        var seen = Set<String>()
        var results: [PluginRecord] = []
        for path in paths {
            for file in Self.candidateFiles(in: path) where seen.insert(file).inserted {
                results.append(load(path: file, settings: settings))
            }
        }
        return results
    }

    /// Loads one plugin file. Failures are logged once and recorded; they never throw.
    @discardableResult
    public func load(path: String, settings: PluginSettings = PluginSettings()) -> PluginRecord {
        let record: PluginRecord
        do {
            record = try instantiate(path: path, settings: settings)
        } catch {
            logger.error(
                "plugin refused: \(error.reason)", metadata: ["path": "\(path)", "plugin": "\(error.id ?? "?")"])
            record = PluginRecord(path: path, status: .failed, id: error.id, reason: error.reason)
        }
        state.withLock { $0.records.append(record) }
        return record
    }

    private func instantiate(path: String, settings: PluginSettings) throws(PluginLoadError) -> PluginRecord {
        let image = try PluginLoader.open(path: path)
        let abi = PluginLoader.abiText(image.abiVersion)
        if let other = plugin(id: image.id) {
            throw PluginLoadError(path: path, reason: "duplicate plugin id '\(image.id)' (already loaded from \(other.path))", id: image.id)
        }
        if settings.disabled.contains(image.id) {
            logger.info("plugin disabled by configuration", metadata: ["plugin": "\(image.id)", "path": "\(path)"])
            return PluginRecord(
                path: path, status: .disabled, id: image.id, name: image.name, version: image.version, abi: abi,
                reason: "disabled by configuration")
        }
        let d = image.descriptor.pointee
        guard let create = d.create, let handle = d.handle, let cancel = d.cancel, let destroy = d.destroy else {
            throw PluginLoadError(path: path, reason: "descriptor lacks a required function", id: image.id)
        }
        let context = PluginContext(pluginID: image.id, logger: logger, bus: bus, scopes: scopes)
        let table = HostAPITable.make(for: context, structSize: hostTableSize)
        let config = (settings.configs[image.id] ?? .object([:])).encodedBytes()
        var instance: UnsafeMutableRawPointer?
        let status = config.withUnsafeBufferPointer { buffer in
            create(UnsafePointer(table), buffer.baseAddress, buffer.count, &instance)
        }
        guard status == TETHER_OK else {
            throw PluginLoadError(path: path, reason: "create() failed with status \(status)", id: image.id)
        }
        var contributions: [String: JSONValue]
        do {
            contributions = try PluginLoader.contributions(of: image, instance: instance)
        } catch {
            destroy(instance)
            throw error
        }
        let cCommands = Self.cCommands(of: image.descriptor, instance: instance)
        if let cCommands {
            contributions[TETHER_EXT_C_COMMANDS] = cCommands.manifest
            for refusal in cCommands.manifest["refused"]?.arrayValue ?? [] {
                logger.warning(
                    "typed C command refused: \(refusal["reason"]?.stringValue ?? "")",
                    metadata: ["plugin": "\(image.id)", "command": "\(refusal["name"]?.stringValue ?? "")"])
            }
        }
        let plugin = LoadedPlugin(
            id: image.id, name: image.name, version: image.version, abiVersion: image.abiVersion, path: path,
            contributions: contributions, descriptor: image.descriptor, instance: instance,
            handle: handle, cancel: cancel, destroy: destroy)
        let inserted = state.withLock { state -> Bool in
            guard state.plugins[plugin.id] == nil else { return false }
            state.plugins[plugin.id] = plugin
            return true
        }
        guard inserted else {
            destroy(instance)
            throw PluginLoadError(path: path, reason: "duplicate plugin id '\(image.id)'", id: image.id)
        }
        registerCommands(of: plugin)
        registerCCommands(cCommands?.commands ?? [], of: plugin)
        logger.info(
            "plugin loaded",
            metadata: [
                "plugin": "\(plugin.id)", "version": "\(plugin.version)", "abi": "\(abi)",
                "contributions": "\(contributions.keys.sorted().joined(separator: ","))",
            ])
        return PluginRecord(
            path: path, status: .loaded, id: plugin.id, name: plugin.name, version: plugin.version, abi: abi,
            contributions: contributions)
    }

    /// Registers the commands a plugin declares under `tether.commands/1`.
    private func registerCommands(of plugin: LoadedPlugin) {
        guard let commands = plugin.contributions[ExtensionID.commands]?["commands"]?.arrayValue else { return }
        for command in commands {
            guard let name = command["name"]?.stringValue, !name.isEmpty else {
                logger.warning("ignoring a command without a name", metadata: ["plugin": "\(plugin.id)"])
                continue
            }
            let summary = command["summary"]?.stringValue ?? ""
            let registered = bus.register(name: name, summary: summary, provider: plugin.id) { [weak self] args in
                guard let self else { throw CommandError(.unavailable, "the plugin host is shutting down") }
                return try await self.call(
                    pluginID: plugin.id, request: ["op": "command", "command": .string(name), "args": args])
            }
            if !registered {
                let owner = bus.descriptor(named: name)?.provider ?? "?"
                logger.warning(
                    "command already provided by \(owner); this plugin's copy is ignored",
                    metadata: ["plugin": "\(plugin.id)", "command": "\(name)"])
            }
        }
    }

    /// Sends one request to a plugin and waits for its reply, at most `timeout` (default:
    /// `defaultTimeout`). Cancelling the calling task forwards `cancel` to the plugin.
    public func call(
        pluginID: String, request: JSONValue, timeout: Duration? = nil
    ) async throws(CommandError) -> JSONValue {
        guard let plugin = plugin(id: pluginID) else {
            throw CommandError(.unavailable, "plugin '\(pluginID)' is not loaded")
        }
        return try await call(plugin, request: request, timeout: timeout ?? defaultTimeout)
    }

    /// The request is sent with its absolute deadline (`deadline_ms`, CLOCK_MONOTONIC
    /// milliseconds) and the budget left (`timeout_ms`): the earlier of `timeout` and the
    /// deadline the calling task inherited (``CommandDeadline``). Missing it, or cancelling the
    /// calling task, forwards `cancel` to the plugin and cancels the commands it submitted for it.
    func call(_ plugin: LoadedPlugin, request: JSONValue, timeout: Duration) async throws(CommandError) -> JSONValue {
        if plugin.isDestroyed { throw CommandError(.unavailable, "plugin '\(plugin.id)' has been shut down") }
        if Task.isCancelled { throw CommandError(.cancelled, "the request to plugin '\(plugin.id)' was cancelled before it was sent") }
        let deadline = CommandDeadline.effective(timeout)
        let budget = ContinuousClock.now.duration(to: deadline)
        guard budget > .zero else {
            throw CommandError(.timeout, "no time was left to ask plugin '\(plugin.id)' (the caller's deadline had passed)")
        }
        let pending = PendingCalls.shared
        let scopes = self.scopes
        let id = pending.nextID()
        var message = request
        if case .object(var members) = request {
            members["deadline_ms"] = .int(Int64(CommandDeadline.monotonicNanoseconds(of: deadline) / 1_000_000))
            members["timeout_ms"] = .int(Int64(budget.components.seconds * 1000 + budget.components.attoseconds / 1_000_000_000_000_000))
            message = .object(members)
        }
        let bytes = message.encodedBytes(sortingKeys: false)
        scopes.open(id, pluginID: plugin.id, deadline: deadline)
        defer { scopes.close(id) }
        let reply = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PluginReply, Never>) in
                pending.insert(id, continuation)
                let status = plugin.withInstance { instance in
                    bytes.withUnsafeBufferPointer { buffer in
                        plugin.handleFunction(
                            instance, id, buffer.baseAddress, buffer.count, pluginCompletion,
                            UnsafeMutableRawPointer(bitPattern: UInt(id)))
                    }
                } ?? TETHER_ERR_SHUTDOWN
                if status != TETHER_OK {
                    pending.finish(id, with: .refused(status: status))
                    return
                }
                let timer = DeadlineTimer.shared.arm(at: deadline) {
                    if pending.finish(id, with: .timedOut) {
                        scopes.cancel(id)
                        _ = plugin.withInstance { plugin.cancelFunction($0, id) }
                    }
                }
                pending.attachTimer(id, timer)
            }
        } onCancel: {
            scopes.cancel(id)
            _ = plugin.withInstance { plugin.cancelFunction($0, id) }
        }
        return try decode(reply, from: plugin, timeout: budget)
    }

    private func decode(_ reply: PluginReply, from plugin: LoadedPlugin, timeout: Duration) throws(CommandError) -> JSONValue {
        switch reply {
        case .timedOut:
            logger.warning("plugin did not answer before the deadline", metadata: ["plugin": "\(plugin.id)", "timeout": "\(timeout)"])
            throw CommandError(.timeout, "plugin '\(plugin.id)' did not answer within \(timeout)")
        case .refused(let status):
            throw CommandError(
                CommandError.code(forStatus: status), "plugin '\(plugin.id)' refused the request (status \(status))")
        case .completed(let status, let body):
            let value: JSONValue
            do {
                value = try JSONValue(parsing: body)
            } catch {
                logger.error("plugin replied with malformed JSON", metadata: ["plugin": "\(plugin.id)", "status": "\(status)"])
                throw CommandError(.pluginFailure, "plugin '\(plugin.id)' replied with malformed JSON (\(error.description))")
            }
            guard status >= TETHER_OK else {
                throw CommandError(json: value, fallback: CommandError.code(forStatus: status))
            }
            return value
        }
    }

    /// Destroys every instance (off the cooperative pool: `destroy` may wait for in-flight work).
    public func shutdown() async {
        let plugins = state.withLock { state in
            defer { state.plugins.removeAll() }
            return Array(state.plugins.values)
        }
        for plugin in plugins {
            bus.unregister(provider: plugin.id)
            await runOnDedicatedThread {
                guard plugin.beginDestroy() else { return }
                plugin.destroyFunction(plugin.instance)
            }
            logger.info("plugin stopped", metadata: ["plugin": "\(plugin.id)"])
        }
    }

    static func candidateFiles(in path: PluginSearchPath) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path.directory) else { return [] }
        return names.filter { $0.hasPrefix(path.filePrefix) && $0.hasSuffix(".so") }.sorted()
            .map { (path.directory as NSString).appendingPathComponent($0) }
    }
}

/// The completion callback every plugin request carries; `ctx` is the request id.
private let pluginCompletion: tether_complete_fn = { ctx, status, json, length in
    let id = UInt64(UInt(bitPattern: ctx))
    let body = json.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    if !PendingCalls.shared.finish(id, with: .completed(status: status, body: body)) {
        lateCallbackLogger.warning("dropped a plugin callback for a request that already completed or timed out", metadata: ["request": "\(id)"])
    }
}

private let lateCallbackLogger = Logger(label: "tether.plugins")

/// Runs blocking work on a fresh thread so the cooperative pool stays free.
func runOnDedicatedThread(_ work: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let thread = Thread {
            work()
            continuation.resume()
        }
        thread.start()
    }
}
