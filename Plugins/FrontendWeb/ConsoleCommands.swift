/// The host commands the console page may run through `_console/api/run/<command>`, and
/// nothing else: no token commands, no raw WS-Man, no tunnel control.
enum ConsoleCommands {
    static let allowed: Set<String> = [
        "ciraconfigs.create", "ciraconfigs.get", "ciraconfigs.list", "ciraconfigs.update", "ciraconfigs.delete",
        "profiles.create", "profiles.get", "profiles.list", "profiles.update", "profiles.delete",
        "domains.create", "domains.get", "domains.list", "domains.update", "domains.delete",
        "devices.list", "devices.get", "devices.tags", "devices.stats",
        "cert.show", "power.actions", "power.action",
        "amt.power.state", "amt.version", "amt.hardwareInfo", "amt.generalSettings",
    ]

    /// Administrative commands that record an actor in the audit log.
    static func recordsActor(_ command: String) -> Bool {
        let family = command.split(separator: ".").first ?? ""
        let verb = command.split(separator: ".").last ?? ""
        return ["ciraconfigs", "profiles", "domains", "devices"].contains(family) && ["create", "update", "delete"].contains(verb)
    }
}
