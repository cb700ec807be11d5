import Foundation

/// The store of one host: the database, the secret sealer and the repositories over them.
///
/// Open once at start-up with ``open(dataDirectory:)``; share freely (all members are `Sendable`).
public final class TetherStore: Sendable {
    public let database: Database
    public let sealer: SecretSealer
    public let ciraConfigs: CIRAConfigRepository
    public let profiles: ProfileRepository
    public let domains: DomainRepository
    public let devices: DeviceRepository
    public let audit: AuditRepository
    public let wirelessConfigs: WirelessConfigRepository
    public let ieee8021xConfigs: IEEE8021xConfigRepository

    /// Creates a store over an opened database and sealer.
    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
        ciraConfigs = CIRAConfigRepository(database: database, sealer: sealer)
        profiles = ProfileRepository(database: database, sealer: sealer)
        domains = DomainRepository(database: database, sealer: sealer)
        devices = DeviceRepository(database: database, sealer: sealer)
        audit = AuditRepository(database: database)
        wirelessConfigs = WirelessConfigRepository(database: database, sealer: sealer)
        ieee8021xConfigs = IEEE8021xConfigRepository(database: database, sealer: sealer)
    }

    /// Opens the store in `dataDirectory`: loads (or creates) `secret.key` first, so a damaged key
    /// file stops start-up before anything is written, then opens and migrates `tether.sqlite`.
    /// - Throws: `SecretError` for key file problems, `StoreError.database` for database problems.
    public static func open(dataDirectory: URL) throws -> TetherStore {
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.database("cannot create data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        let sealer = try SecretSealer.loadOrCreate(in: dataDirectory)
        let database = try Database.open(directory: dataDirectory)
        return TetherStore(database: database, sealer: sealer)
    }
}
