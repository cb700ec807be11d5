import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// Registers one admin command. The handler receives the host and the parsed arguments; any
    /// non-`CommandError` it throws is mapped by `AdminErrors.store`.
    func registerAdmin(
        _ name: String, _ summary: String,
        _ handler: @escaping @Sendable (TetherHost, AdminArguments) async throws -> JSONValue
    ) {
        bus.register(name: name, summary: summary, provider: "host") { [weak self] args in
            guard let self else { throw CommandError(.unavailable, "the host is shutting down") }
            let arguments = try AdminArguments(args, command: name)
            do {
                return try await handler(self, arguments)
            } catch let error as CommandError {
                throw error
            } catch {
                throw AdminErrors.store(error)
            }
        }
    }

    /// The store, or `.unavailable` when the host was started without it.
    func adminStore() throws(CommandError) -> TetherStore {
        guard let store else { throw CommandError(.unavailable, "the store is not open (start the host with the store)") }
        return store
    }

    /// Appends an audit event for a mutation. `detail` must never contain secrets.
    /// - Throws: `.internal` when the event cannot be written (the change itself is already saved).
    func recordAudit(
        _ store: TetherStore, action: String, target: String, args: AdminArguments, tenantId: String, detail: String? = nil
    ) async throws(CommandError) {
        do {
            try await store.audit.append(
                AuditEvent(tenantId: tenantId, actor: args.actor, action: action, target: target, detail: detail))
            publishAdminEvent(action: action, target: target, tenantId: tenantId)
        } catch {
            logger.error("audit event could not be written", metadata: ["action": "\(action)", "target": "\(target)", "error": "\(error)"])
            throw CommandError(.internal, "\(action) \(target) was saved but its audit event could not be written: \(error)")
        }
    }
}
