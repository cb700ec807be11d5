import Foundation
import GRDB

/// CRUD for CIRA configs. Names are unique per tenant and case-insensitive; lookups in any case
/// return the stored spelling. All methods are async, thread-safe, and run in one transaction each.
public struct CIRAConfigRepository: Sendable {
    static let passwordContext = "cira_configs.password"
    static let table = SQLTable<CIRAConfig>(
        name: "cira_configs", keyColumn: "config_name", entity: .ciraConfig, decode: decode)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a config (version becomes 1). `password` is an optional static MPS password, sealed.
    /// - Throws: `StoreError.duplicate` if the name exists (any case) for the tenant.
    @discardableResult
    public func create(_ config: CIRAConfig, password: Secret? = nil) async throws -> CIRAConfig {
        let sealed = try SQLSupport.sealOptional(password, context: Self.passwordContext, sealer: sealer)
        return try await database.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO cira_configs (tenant_id, config_name, mps_server_address, server_address_format,
                            mps_port, username, password, common_name, auth_method, mps_root_certificate,
                            proxy_details, allow_self_registration, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        config.tenantId, config.configName, config.mpsServerAddress,
                        config.serverAddressFormat.rawValue, config.mpsPort, config.username, sealed,
                        config.commonName, config.authMethod.rawValue, config.mpsRootCertificate,
                        config.proxyDetails, config.allowSelfRegistration,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.ciraConfig, name: config.configName)
            }
            return try Self.table.fetch(db, key: config.configName, tenantId: config.tenantId)
        }
    }

    /// Returns the config. - Throws: `StoreError.notFound`.
    public func get(configName: String, tenantId: String = "") async throws -> CIRAConfig {
        try await Self.table.get(database, key: configName, tenantId: tenantId)
    }

    /// Lists the tenant's configs ordered by name (case-insensitive).
    public func list(tenantId: String = "", page: PageRequest = PageRequest()) async throws -> Page<CIRAConfig> {
        try await Self.table.list(database, arguments: [tenantId], page: page)
    }

    /// Replaces every field of the config named `config.configName` if `config.version` matches the
    /// stored version; the version then increments.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict` (stale version).
    @discardableResult
    public func update(_ config: CIRAConfig, password: SecretChange = .keep) async throws -> CIRAConfig {
        var assignments = [
            "mps_server_address = ?", "server_address_format = ?", "mps_port = ?", "username = ?",
            "common_name = ?", "auth_method = ?", "mps_root_certificate = ?", "proxy_details = ?",
            "allow_self_registration = ?",
        ]
        var arguments: StatementArguments = [
            config.mpsServerAddress, config.serverAddressFormat.rawValue, config.mpsPort, config.username,
            config.commonName, config.authMethod.rawValue, config.mpsRootCertificate, config.proxyDetails,
            config.allowSelfRegistration,
        ]
        try SQLSupport.appendSecret(
            password, column: "password", context: Self.passwordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        arguments += [config.tenantId, config.configName, config.version]
        let sql = "UPDATE cira_configs SET \(assignments.joined(separator: ", ")), version = version + 1 "
            + "WHERE tenant_id = ? AND config_name = ? AND version = ?"
        return try await database.write { [arguments] db in
            try Self.table.update(db, key: config.configName, tenantId: config.tenantId, version: config.version) {
                try db.execute(sql: sql, arguments: arguments)
            }
        }
    }

    /// Deletes the config.
    /// - Throws: `StoreError.notFound`; `StoreError.inUse` while a profile references it.
    public func delete(configName: String, tenantId: String = "") async throws {
        try await database.write { db in
            let current = try Self.table.fetch(db, key: configName, tenantId: tenantId)
            let profile = try String.fetchOne(
                db, sql: "SELECT profile_name FROM profiles WHERE tenant_id = ? AND cira_config_name = ? LIMIT 1",
                arguments: [tenantId, configName])
            if let profile {
                throw StoreError.inUse(.ciraConfig, name: current.configName, referencedBy: "AMT profile \(profile)")
            }
            try Self.table.delete(db, key: configName, tenantId: tenantId)
        }
    }

    /// The static MPS password, or nil if none is stored. For the host's internal use only.
    /// - Throws: `StoreError.notFound`; `SecretError.tampered` if the sealed value was modified.
    public func password(configName: String, tenantId: String = "") async throws -> Secret? {
        let sealed = try await Self.table.select(database, columns: "password", key: configName, tenantId: tenantId) {
            $0["password"] as Data?
        }
        return try SQLSupport.unsealOptional(sealed, context: Self.passwordContext, sealer: sealer)
    }

    /// Configs of every tenant that allow self-registration for `username` (exact match), each with
    /// its static password (configs without one are skipped: there is nothing to compare with).
    /// For the host's CIRA authentication only. - Throws: `SecretError.tampered`.
    public func selfRegistrationCandidates(username: String) async throws -> [(config: CIRAConfig, password: Secret)] {
        let rows = try await database.read { db -> [(CIRAConfig, Data?)] in
            try Row.fetchAll(
                db, sql: "SELECT * FROM cira_configs WHERE allow_self_registration = 1 AND username = ? AND password IS NOT NULL ORDER BY tenant_id, config_name",
                arguments: [username]
            ).map { row in (try Self.decode(row), row["password"] as Data?) }
        }
        var result: [(config: CIRAConfig, password: Secret)] = []
        for (config, sealed) in rows {
            guard let password = try SQLSupport.unsealOptional(sealed, context: Self.passwordContext, sealer: sealer)
            else { continue }
            result.append((config, password))
        }
        return result
    }

    static func decode(_ row: Row) throws -> CIRAConfig {
        let name: String = row["config_name"]
        guard let format = ServerAddressFormat(rawValue: row["server_address_format"]) else {
            throw StoreError.corruptRecord(.ciraConfig, name: name, detail: "unknown server address format")
        }
        guard let auth = CIRAAuthMethod(rawValue: row["auth_method"]) else {
            throw StoreError.corruptRecord(.ciraConfig, name: name, detail: "unknown auth method")
        }
        var config = CIRAConfig(
            configName: name, mpsServerAddress: row["mps_server_address"], serverAddressFormat: format,
            mpsPort: row["mps_port"], username: row["username"], commonName: row["common_name"],
            authMethod: auth, mpsRootCertificate: row["mps_root_certificate"],
            proxyDetails: row["proxy_details"], tenantId: row["tenant_id"],
            allowSelfRegistration: row["allow_self_registration"], version: row["version"])
        config.hasStaticPassword = (row["password"] as Data?) != nil
        return config
    }
}
