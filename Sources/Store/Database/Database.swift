import Foundation
import GRDB

/// The SQLite database in a data directory (`<data-dir>/tether.sqlite`), opened as a GRDB
/// `DatabasePool` in WAL mode with migrations applied.
///
/// Durability choice: **`synchronous = FULL`** on the writer connection. In WAL mode, NORMAL already
/// survives a process crash (kill -9: committed frames sit in the OS page cache and are replayed
/// from the WAL on the next open), but NORMAL may lose the last commits on power loss or an OS
/// crash, because the WAL is only fsynced at checkpoints. FULL fsyncs the WAL on every commit, so a
/// write that was acknowledged to a caller survives both. The cost (one fsync per transaction) is
/// paid once per batch for the hot path (`DeviceRepository.applyConnectionEvents`).
///
/// Thread safety: the type is immutable and `Sendable`; GRDB serialises writes and runs reads
/// concurrently on snapshot connections.
public final class Database: Sendable {
    /// The database file name inside the data directory.
    public static let fileName = "tether.sqlite"

    /// The GRDB pool. Internal so that all SQL stays inside this module.
    let pool: DatabasePool
    /// Absolute path of the database file.
    public let path: String

    private init(pool: DatabasePool, path: String) {
        self.pool = pool
        self.path = path
    }

    /// Opens (creating if needed) `<directory>/tether.sqlite` and runs pending migrations.
    ///
    /// The directory is created with mode 0700 if it does not exist.
    /// - Throws: `StoreError.database` when the file cannot be opened, is not a database, or a
    ///   migration fails (the failed migration is rolled back).
    public static func open(directory: URL) throws -> Database {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.database("cannot create data directory \(directory.path): \(error.localizedDescription)")
        }
        let path = directory.appendingPathComponent(fileName).path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "tether.store"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool switches the writer to WAL and sets synchronous=NORMAL after
            // `prepareDatabase` hooks run, so FULL is set here, on the one writer connection.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try Migrations.migrator.migrate(pool)
            return Database(pool: pool, path: path)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open \(path): \(error.message ?? error.description)")
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its rows: `["ok"]` for a healthy database.
    public func integrityCheck() async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The identifiers of the migrations applied so far, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// The writer connection's `PRAGMA synchronous` value (2 = FULL).
    public func synchronousMode() async throws -> Int {
        try await write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Closes all connections. Further use throws.
    public func close() throws {
        do { try pool.close() } catch let error as DatabaseError {
            throw StoreError.database("cannot close \(path): \(error.message ?? error.description)")
        }
    }

    /// Runs `body` in a write transaction, mapping GRDB errors to `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (GRDB.Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }

    /// Runs `body` on a read-only snapshot, mapping GRDB errors to `StoreError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (GRDB.Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }
}
