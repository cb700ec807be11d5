import Foundation
import PluginHost
import Store
import TetherJSON

/// The five commands of an RPS admin resource keyed by `profileName` (`<prefix>.create|get|list|
/// update|delete`), for resources whose create and update share one save function.
struct NamedRecordCommands<Record: Sendable>: Sendable {
    /// Command prefix, e.g. `wirelessconfigs`.
    let prefix: String
    /// The noun in summaries and messages, e.g. `Wi-Fi profile`.
    let noun: String
    /// The audit action prefix, e.g. `wirelessconfig` (→ `wirelessconfig.delete`).
    let auditName: String
    let get: @Sendable (TetherStore, _ name: String, _ tenantId: String) async throws -> Record
    let list: @Sendable (TetherStore, _ tenantId: String, PageRequest) async throws -> Page<Record>
    let delete: @Sendable (TetherStore, _ name: String, _ tenantId: String) async throws -> Void
    let name: @Sendable (Record) -> String
    let version: @Sendable (Record) -> Int
    let json: @Sendable (Record) -> JSONValue
    /// Create (`isUpdate` false) or update.
    let save: @Sendable (TetherHost, AdminArguments, _ isUpdate: Bool) async throws -> JSONValue

    /// The conflict error for a stale or missing `version`: names the current version, carries the record.
    func staleVersion(_ current: Record) -> CommandError {
        AdminErrors.staleVersion(
            "\(noun) \(name(current)) is at version \(version(current)); send that version to update it",
            current: json(current), version: version(current))
    }

    /// A version-checked update of the record `name`: the stored record must be at `args.version`
    /// (else a conflict carrying it); `write` gets the stored record and saves the change; a
    /// concurrent change in between is a conflict carrying the record as it now is.
    func update(
        _ store: TetherStore, name: String, args: AdminArguments, write: (Record) async throws -> Record
    ) async throws -> Record {
        let current = try await get(store, name, args.tenantId)
        guard let requested = args.version, requested == version(current) else { throw staleVersion(current) }
        do {
            return try await write(current)
        } catch StoreError.conflict {
            throw staleVersion(try await get(store, name, args.tenantId))
        }
    }
}

extension TetherHost {
    func registerNamedRecordCommands<Record: Sendable>(_ commands: NamedRecordCommands<Record>) {
        let prefix = commands.prefix
        registerAdmin("\(prefix).create", "Create a \(commands.noun) (Open AMT body; secrets sealed)") { host, args in
            try await commands.save(host, args, false)
        }
        registerAdmin("\(prefix).get", "One \(commands.noun): {profileName}") { host, args in
            let name = try args.requiredKey("profileName", command: "\(prefix).get")
            return commands.json(try await commands.get(host.adminStore(), name, args.tenantId))
        }
        registerAdmin("\(prefix).list", "\(commands.noun)s: {$top, $skip, $count}") { host, args in
            let paging = try AdminPaging(args)
            return paging.result(try await commands.list(host.adminStore(), args.tenantId, paging.page), commands.json)
        }
        registerAdmin("\(prefix).update", "Replace a \(commands.noun): {profileName, version, …}") { host, args in
            try await commands.save(host, args, true)
        }
        registerAdmin("\(prefix).delete", "Delete a \(commands.noun) nothing links to: {profileName}") { host, args in
            let store = try host.adminStore()
            let name = try args.requiredKey("profileName", command: "\(prefix).delete")
            let current = try await commands.get(store, name, args.tenantId)
            try await commands.delete(store, commands.name(current), args.tenantId)
            try await host.recordAudit(store, action: "\(commands.auditName).delete", target: commands.name(current), args: args, tenantId: args.tenantId)
            return ["deleted": .string(commands.name(current))]
        }
    }
}
