import Foundation
import GRDB

/// Small helpers shared by the repositories. All SQL uses bound arguments; nothing user-supplied is
/// ever spliced into SQL text.
enum SQLSupport {
    static func isUniqueViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }

    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY
    }

    static func encodeTags(_ tags: [String]) throws -> String {
        let data = try JSONEncoder().encode(tags)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeTags(_ text: String?, entity: StoreEntity, name: String) throws -> [String] {
        guard let text, !text.isEmpty else { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRecord(entity, name: name, detail: "tags are not a JSON string array")
        }
    }

    static func date(_ seconds: Double?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: $0) }
    }

    static func seconds(_ date: Date?) -> Double? {
        date?.timeIntervalSince1970
    }

    /// Appends `column = ?` (or `= NULL`) for a secret change; `.keep` appends nothing.
    static func appendSecret(
        _ change: SecretChange, column: String, context: String, sealer: SecretSealer,
        assignments: inout [String], arguments: inout StatementArguments
    ) throws {
        switch change {
        case .keep:
            return
        case .clear:
            assignments.append("\(column) = NULL")
        case let .set(secret):
            assignments.append("\(column) = ?")
            arguments += [try sealer.seal(secret, context: context)]
        }
    }

    static func sealOptional(_ secret: Secret?, context: String, sealer: SecretSealer) throws -> Data? {
        try secret.map { try sealer.seal($0, context: context) }
    }

    static func unsealOptional(_ data: Data?, context: String, sealer: SecretSealer) throws -> Secret? {
        try data.map { try sealer.unsealSecret($0, context: context) }
    }
}

/// A stored record as the shared table helpers see it: the name it is stored under (its stored
/// spelling, reported in conflicts) and its optimistic-concurrency version.
protocol StoredRecord: Sendable {
    var storeKey: String { get }
    var version: Int { get }
}

extension CIRAConfig: StoredRecord {
    var storeKey: String { configName }
}

extension Profile: StoredRecord {
    var storeKey: String { profileName }
}

extension Domain: StoredRecord {
    var storeKey: String { profileName }
}

extension Device: StoredRecord {
    var storeKey: String { guid }
}

extension WirelessConfig: StoredRecord {
    var storeKey: String { profileName }
}

extension IEEE8021xConfig: StoredRecord {
    var storeKey: String { profileName }
}

/// One per-tenant table whose rows are keyed by `(tenant_id, keyColumn)`: the single implementation
/// of get-by-key, the paged list, delete and the version-checked update that the repositories share.
/// Key lookups follow the column's collation (NOCASE for names), so any spelling finds the row and
/// the stored spelling is returned. Lists are ordered by `keyColumn`.
struct SQLTable<Record: StoredRecord>: Sendable {
    /// The table name, e.g. `profiles`.
    let name: String
    /// The column holding the record's key within a tenant, e.g. `profile_name`.
    let keyColumn: String
    /// The entity reported in `notFound` and `conflict` errors.
    let entity: StoreEntity
    /// Maps a `SELECT *` row to the record.
    let decode: @Sendable (Row) throws -> Record
    /// Completes a decoded record from other tables in the same transaction (e.g. a profile's
    /// Wi-Fi links); nil when the row is the whole record.
    var complete: (@Sendable (GRDB.Database, Record) throws -> Record)? = nil

    /// The row of `key` in the tenant. - Throws: `StoreError.notFound`.
    func fetch(_ db: GRDB.Database, key: String, tenantId: String) throws -> Record {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM \(name) WHERE tenant_id = ? AND \(keyColumn) = ?", arguments: [tenantId, key])
        else { throw StoreError.notFound(entity, name: key) }
        return try completed(db, try decode(row))
    }

    private func completed(_ db: GRDB.Database, _ record: Record) throws -> Record {
        guard let complete else { return record }
        return try complete(db, record)
    }

    /// Reads the record of `key` in the tenant. - Throws: `StoreError.notFound`.
    func get(_ database: Database, key: String, tenantId: String) async throws -> Record {
        try await database.read { db in try fetch(db, key: key, tenantId: tenantId) }
    }

    /// Selects `columns` of the row of `key` in the tenant and maps them with `map` (used for the
    /// sealed columns, which `SELECT *` decoding leaves out). - Throws: `StoreError.notFound`.
    func select<Value: Sendable>(
        _ database: Database, columns: String, key: String, tenantId: String,
        map: @escaping @Sendable (Row) -> Value
    ) async throws -> Value {
        let value = try await database.read { db -> Value? in
            try Row.fetchOne(
                db, sql: "SELECT \(columns) FROM \(name) WHERE tenant_id = ? AND \(keyColumn) = ?",
                arguments: [tenantId, key]
            ).map(map)
        }
        guard let value else { throw StoreError.notFound(entity, name: key) }
        return value
    }

    /// One page of the rows matching `whereSQL` (with `arguments`), ordered by `keyColumn`, with the
    /// number of matching rows as `totalCount`. The default condition selects the tenant's rows, so
    /// `arguments` is then `[tenantId]`.
    func list(
        _ database: Database, where whereSQL: String = "tenant_id = ?", arguments: StatementArguments,
        page: PageRequest
    ) async throws -> Page<Record> {
        let page = try page.validated()
        var pageArguments = arguments
        pageArguments += [page.top, page.skip]
        return try await database.read { [arguments, pageArguments] db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(name) WHERE \(whereSQL)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM \(name) WHERE \(whereSQL) ORDER BY \(keyColumn) LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return Page(items: try rows.map { try completed(db, try decode($0)) }, totalCount: total)
        }
    }

    /// Deletes the row of `key` in the tenant. - Throws: `StoreError.notFound`.
    func delete(_ db: GRDB.Database, key: String, tenantId: String) throws {
        try db.execute(sql: "DELETE FROM \(name) WHERE tenant_id = ? AND \(keyColumn) = ?", arguments: [tenantId, key])
        if db.changesCount == 0 { throw StoreError.notFound(entity, name: key) }
    }

    /// A version-checked update of the row of `key`: if the stored version is not `version`, throws
    /// `StoreError.conflict` with the stored spelling and version; otherwise runs `execute` (which
    /// issues the UPDATE and maps its errors) and returns the record as now stored.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, or what `execute` throws.
    func update(
        _ db: GRDB.Database, key: String, tenantId: String, version: Int, execute: () throws -> Void
    ) throws -> Record {
        let before = try fetch(db, key: key, tenantId: tenantId)
        guard before.version == version else {
            throw StoreError.conflict(entity, name: before.storeKey, currentVersion: before.version)
        }
        try execute()
        return try fetch(db, key: key, tenantId: tenantId)
    }
}
