import Synchronization
import TetherJSON

/// One named command in the catalogue.
public struct CommandDescriptor: Sendable, Equatable {
    /// Dotted name, e.g. `devices.connected`.
    public var name: String
    public var summary: String
    /// `host` for built-in commands, otherwise the id of the plugin that contributes it.
    public var provider: String

    public init(name: String, summary: String, provider: String) {
        self.name = name
        self.summary = summary
        self.provider = provider
    }

    public var json: JSONValue {
        ["name": .string(name), "summary": .string(summary), "provider": .string(provider)]
    }
}

/// Runs a command's work. Throw `CommandError` for failures callers should see.
public typealias CommandHandler = @Sendable (_ args: JSONValue) async throws -> JSONValue

/// The host's command bus: named commands with JSON arguments and results. Used by plugins
/// (through `submit`), by front ends and by the CLI. Thread-safe.
public final class CommandBus: Sendable {
    private struct Entry: Sendable {
        var descriptor: CommandDescriptor
        var handler: CommandHandler
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {
        register(name: "host.commands", summary: "List every command the host and its plugins offer", provider: "host") {
            [weak self] _ in
            guard let self else { return .array([]) }
            return .object(["commands": .array(self.catalogue().map(\.json))])
        }
    }

    /// Registers `name`. Returns false (and changes nothing) when the name is taken.
    @discardableResult
    public func register(name: String, summary: String, provider: String, handler: @escaping CommandHandler) -> Bool {
        entries.withLock { entries in
            guard entries[name] == nil else { return false }
            entries[name] = Entry(
                descriptor: CommandDescriptor(name: name, summary: summary, provider: provider), handler: handler)
            return true
        }
    }

    /// Removes every command contributed by `provider` (used when a plugin is disabled).
    public func unregister(provider: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.descriptor.provider != provider } }
    }

    /// All commands, sorted by name.
    public func catalogue() -> [CommandDescriptor] {
        entries.withLock { $0.values.map(\.descriptor) }.sorted { $0.name < $1.name }
    }

    public func descriptor(named name: String) -> CommandDescriptor? {
        entries.withLock { $0[name]?.descriptor }
    }

    /// Runs `name` with `args`. Unknown names fail with `.notFound`; any non-`CommandError`
    /// thrown by a handler is reported as `.internal` with its description.
    public func run(_ name: String, args: JSONValue = .object([:])) async throws(CommandError) -> JSONValue {
        guard let entry = entries.withLock({ $0[name] }) else {
            throw CommandError(.notFound, "unknown command '\(name)'; 'host.commands' lists the available ones")
        }
        do {
            return try await entry.handler(args)
        } catch let error as CommandError {
            throw error
        } catch is CancellationError {
            throw CommandError(.cancelled, "command '\(name)' was cancelled")
        } catch {
            throw CommandError(.internal, "command '\(name)' failed: \(error)")
        }
    }

    /// Runs a submitted request `{"command": name, "args": {…}}`.
    public func run(request: JSONValue) async throws(CommandError) -> JSONValue {
        guard let name = request["command"]?.stringValue else {
            throw CommandError(.badRequest, "a command request needs a string member 'command'")
        }
        return try await run(name, args: request["args"] ?? .object([:]))
    }

    /// `run(request:)` as a `Result` (for callers in untyped-throwing contexts).
    public func result(request: JSONValue) async -> Result<JSONValue, CommandError> {
        do {
            return .success(try await run(request: request))
        } catch {
            return .failure(error)
        }
    }
}
