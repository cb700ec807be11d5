import Foundation
import GRDB

/// Append-only audit log.
public struct AuditRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Appends an event and returns it with its assigned `id`.
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditEvent {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO audit_events (time, tenant_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.time.timeIntervalSince1970, event.tenantId, event.actor, event.action, event.target, event.detail])
            var stored = event
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// Lists the tenant's events, newest first, optionally only those about `target`.
    public func list(tenantId: String = "", target: String? = nil, page: PageRequest = PageRequest()) async throws -> Page<AuditEvent> {
        let page = try page.validated()
        var whereSQL = "tenant_id = ?"
        var arguments: StatementArguments = [tenantId]
        if let target {
            whereSQL += " AND target = ?"
            arguments += [target]
        }
        var pageArguments = arguments
        pageArguments += [page.top, page.skip]
        return try await database.read { [whereSQL, arguments, pageArguments] db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE \(whereSQL)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM audit_events WHERE \(whereSQL) ORDER BY time DESC, id DESC LIMIT ? OFFSET ?",
                arguments: pageArguments)
            let items = rows.map { row in
                AuditEvent(
                    id: row["id"], time: Date(timeIntervalSince1970: row["time"]), tenantId: row["tenant_id"],
                    actor: row["actor"], action: row["action"], target: row["target"], detail: row["detail"])
            }
            return Page(items: items, totalCount: total)
        }
    }
}
