/// The operation an RPC client asks for, parsed from the envelope's `method` string
/// (`activate --profile P [-f]`, `deactivate --password X [-f]`, `maintenance … --synctime`).
///
/// Parsing is linear and tolerant of repeated spaces; unknown flags are ignored as RPS's
/// minimist does, an unknown first word is an error.
public enum RPSCommand: Sendable, Equatable {
    /// Activate with a profile.
    case activate(profile: String, force: Bool)
    /// Deactivate; `password` from the method string if any (the payload's wins).
    case deactivate(password: String?, force: Bool)
    /// A maintenance task (`synctime`, `changepassword`, `synchostname`, `syncip`, `syncdeviceinfo`).
    case maintenance(task: MaintenanceTask, password: String?, force: Bool)

    /// The maintenance tasks.
    public enum MaintenanceTask: Sendable, Equatable {
        case syncClock
        case changePassword(newPassword: String?)
        case syncHostname
        case syncIP
        case syncDeviceInfo
    }

    /// Parses a method string. `uuid` only serves the error text.
    public static func parse(_ method: String, uuid: String) throws(ActivationProtocolError) -> RPSCommand {
        let words = method.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first else { throw .unsupportedMethod(uuid: uuid, method: method) }
        var options: [String: String] = [:]
        var flags: Set<String> = []
        var index = 1
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-") else { continue }
            let name = String(word.drop(while: { $0 == "-" }))
            if index < words.count, !words[index].hasPrefix("-") {
                options[name] = words[index]
                index += 1
            } else {
                flags.insert(name)
            }
        }
        let force = flags.contains("f") || flags.contains("force")
        let password = options["password"] ?? options["p"]
        switch verb {
        case "activate":
            guard let profile = options["profile"], !profile.isEmpty else {
                throw .invalidPayload("activate needs --profile NAME")
            }
            return .activate(profile: profile, force: force)
        case "deactivate":
            return .deactivate(password: password, force: force)
        case "maintenance":
            let all = flags.union(options.keys)
            let task: MaintenanceTask
            if all.contains("synctime") || all.contains("syncclock") {
                task = .syncClock
            } else if all.contains("changepassword") {
                task = .changePassword(newPassword: options["changepassword"])
            } else if all.contains("synchostname") {
                task = .syncHostname
            } else if all.contains("syncip") {
                task = .syncIP
            } else if all.contains("syncdeviceinfo") {
                task = .syncDeviceInfo
            } else {
                throw .invalidPayload("missing maintenance task in message")
            }
            return .maintenance(task: task, password: password, force: force)
        default:
            throw .unsupportedMethod(uuid: uuid, method: verb)
        }
    }
}
