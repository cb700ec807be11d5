import CTetherABI
import TetherJSON

/// Typed C commands (`tether.c-commands/1`): read and checked at load, registered on the bus,
/// called through libffi.
extension PluginHost {
    /// Reads a plugin's typed commands. Each unusable one is refused with a reason (the others
    /// load); the manifest lists both (`tether plugins list`).
    static func cCommands(
        of descriptor: UnsafePointer<tether_plugin_descriptor>, instance: UnsafeMutableRawPointer?
    ) -> (commands: [CCommand], manifest: JSONValue)? {
        guard let getExtension = descriptor.pointee.get_extension,
            let pointer = getExtension(instance, TETHER_EXT_C_COMMANDS)
        else { return nil }
        let raw = UnsafeRawPointer(pointer)
        var refused: [JSONValue] = []
        guard Int(raw.load(as: UInt32.self)) >= MemoryLayout<tether_c_commands_v1>.size else {
            return ([], ["commands": [], "refused": [["name": "*", "reason": "tether_c_commands_v1 is too small"]]])
        }
        let table = raw.assumingMemoryBound(to: tether_c_commands_v1.self).pointee
        var commands: [CCommand] = []
        for index in 0..<min(table.count, 1024) {
            guard let entry = table.commands?[index] else { break }
            let name = entry.name.flatMap(String.init(validatingCString:)) ?? ""
            func refuse(_ reason: String) { refused.append(["name": .string(name), "reason": .string(reason)]) }
            guard !name.isEmpty else {
                refuse("the command has no name")
                continue
            }
            guard let function = entry.function else {
                refuse("the command has no function")
                continue
            }
            guard let text = entry.signature.flatMap(String.init(validatingCString:)) else {
                refuse("the command has no signature")
                continue
            }
            do {
                let signature = try CCommandSignature(parsing: text)
                commands.append(try CCommand(
                    name: name, summary: entry.summary.flatMap(String.init(validatingCString:)) ?? "",
                    signature: signature, function: function))
            } catch {
                refuse("signature '\(text)': \(error.description)")
            }
        }
        let listed: [JSONValue] = commands.map { ["name": .string($0.name), "summary": .string($0.summary)] }
        return (commands, ["commands": .array(listed), "refused": .array(refused)])
    }

    /// Registers the typed commands of a loaded plugin on the bus.
    func registerCCommands(_ commands: [CCommand], of plugin: LoadedPlugin) {
        for command in commands {
            let registered = bus.register(name: command.name, summary: command.summary, provider: plugin.id) { [weak self] args in
                guard let self else { throw CommandError(.unavailable, "the plugin host is shutting down") }
                return try await self.run(command, of: plugin, args: args)
            }
            if !registered {
                logger.warning(
                    "command already provided by \(bus.descriptor(named: command.name)?.provider ?? "?"); this plugin's copy is ignored",
                    metadata: ["plugin": "\(plugin.id)", "command": "\(command.name)"])
            }
        }
    }

    private func run(_ command: CCommand, of plugin: LoadedPlugin, args: JSONValue) async throws(CommandError) -> JSONValue {
        guard command.signature.isAsynchronous else {
            let outcome = plugin.withInstance { _ in Result { () throws(CommandError) in try command.invoke(args, reply: nil) } }
            guard let outcome else { throw CommandError(.unavailable, "plugin '\(plugin.id)' has been shut down") }
            return try outcome.get() ?? .object([:])
        }
        let reply = CCommandReply(command: command.name, pluginID: plugin.id, logger: logger)
        let pointer = reply.retainedPointer()
        let outcome = plugin.withInstance { _ in Result { () throws(CommandError) in try command.invoke(args, reply: pointer) } }
        switch outcome {
        case nil:
            _ = CCommandReply.consume(pointer)
            throw CommandError(.unavailable, "plugin '\(plugin.id)' has been shut down")
        case .failure(let error)?:
            _ = CCommandReply.consume(pointer)  // refused before the call: the plugin never saw the handle
            throw error
        case .success?:
            let deadline = CommandDeadline.effective(defaultTimeout)
            return try await CommandRace.run(deadline: deadline, what: "command '\(command.name)'") { await reply.value() }.get()
        }
    }
}
