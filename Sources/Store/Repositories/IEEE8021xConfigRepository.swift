import Foundation
import GRDB

/// CRUD for 802.1x configs. Names are unique per tenant and case-insensitive. A config cannot be
/// deleted while an AMT profile (wired) or a Wi-Fi profile (wireless) links to it.
/// All methods are async, thread-safe, and run in one transaction each.
public struct IEEE8021xConfigRepository: Sendable {
    static let passwordContext = "ieee8021x_configs.password"
    static let table = SQLTable<IEEE8021xConfig>(
        name: "ieee8021x_configs", keyColumn: "profile_name", entity: .ieee8021xConfig, decode: decode)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a config (version becomes 1); the optional password is sealed.
    /// - Throws: `StoreError.duplicate` if the name exists (any case) for the tenant.
    @discardableResult
    public func create(_ config: IEEE8021xConfig, password: Secret? = nil) async throws -> IEEE8021xConfig {
        let sealed = try SQLSupport.sealOptional(password, context: Self.passwordContext, sealer: sealer)
        return try await database.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO ieee8021x_configs (tenant_id, profile_name, authentication_protocol, server_name,
                            domain, username, password, roaming_identity, active_in_s0, pxe_timeout, wired_interface, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        config.tenantId, config.profileName, config.authenticationProtocol.rawValue, config.serverName,
                        config.domain, config.username, sealed, config.roamingIdentity, config.activeInS0,
                        config.pxeTimeout, config.wiredInterface,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.ieee8021xConfig, name: config.profileName)
            }
            return try Self.table.fetch(db, key: config.profileName, tenantId: config.tenantId)
        }
    }

    /// Returns the config. - Throws: `StoreError.notFound`.
    public func get(profileName: String, tenantId: String = "") async throws -> IEEE8021xConfig {
        try await Self.table.get(database, key: profileName, tenantId: tenantId)
    }

    /// The config, or nil when none has this name.
    public func find(profileName: String, tenantId: String = "") async throws -> IEEE8021xConfig? {
        do {
            return try await get(profileName: profileName, tenantId: tenantId)
        } catch StoreError.notFound {
            return nil
        }
    }

    /// Lists the tenant's configs ordered by name (case-insensitive).
    public func list(tenantId: String = "", page: PageRequest = PageRequest()) async throws -> Page<IEEE8021xConfig> {
        try await Self.table.list(database, arguments: [tenantId], page: page)
    }

    /// Replaces every field if `config.version` matches; the version then increments. A config
    /// still linked cannot change its interface (a wired config linked from a profile stays wired).
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, `StoreError.inUse`.
    @discardableResult
    public func update(_ config: IEEE8021xConfig, password: SecretChange = .keep) async throws -> IEEE8021xConfig {
        var assignments = [
            "authentication_protocol = ?", "server_name = ?", "domain = ?", "username = ?", "roaming_identity = ?",
            "active_in_s0 = ?", "pxe_timeout = ?", "wired_interface = ?",
        ]
        var arguments: StatementArguments = [
            config.authenticationProtocol.rawValue, config.serverName, config.domain, config.username,
            config.roamingIdentity, config.activeInS0, config.pxeTimeout, config.wiredInterface,
        ]
        try SQLSupport.appendSecret(
            password, column: "password", context: Self.passwordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        arguments += [config.tenantId, config.profileName, config.version]
        let sql = "UPDATE ieee8021x_configs SET \(assignments.joined(separator: ", ")), version = version + 1 "
            + "WHERE tenant_id = ? AND profile_name = ? AND version = ?"
        return try await database.write { [arguments] db in
            try Self.table.update(db, key: config.profileName, tenantId: config.tenantId, version: config.version) {
                let current = try Self.table.fetch(db, key: config.profileName, tenantId: config.tenantId)
                if current.wiredInterface != config.wiredInterface, let user = try Self.firstUser(db, current) {
                    throw StoreError.inUse(.ieee8021xConfig, name: current.profileName, referencedBy: user)
                }
                try db.execute(sql: sql, arguments: arguments)
            }
        }
    }

    /// Deletes the config. - Throws: `StoreError.notFound`; `StoreError.inUse` while linked.
    public func delete(profileName: String, tenantId: String = "") async throws {
        try await database.write { db in
            let current = try Self.table.fetch(db, key: profileName, tenantId: tenantId)
            if let user = try Self.firstUser(db, current) {
                throw StoreError.inUse(.ieee8021xConfig, name: current.profileName, referencedBy: user)
            }
            try Self.table.delete(db, key: profileName, tenantId: tenantId)
        }
    }

    /// The stored password, or nil. For the host's internal use only (writing it into AMT).
    /// - Throws: `StoreError.notFound`; `SecretError.tampered`.
    public func password(profileName: String, tenantId: String = "") async throws -> Secret? {
        let sealed = try await Self.table.select(database, columns: "password", key: profileName, tenantId: tenantId) {
            $0["password"] as Data?
        }
        return try SQLSupport.unsealOptional(sealed, context: Self.passwordContext, sealer: sealer)
    }

    /// "AMT profile X" or "Wi-Fi profile Y" when something links to the config, else nil.
    private static func firstUser(_ db: GRDB.Database, _ config: IEEE8021xConfig) throws -> String? {
        if let profile = try String.fetchOne(
            db, sql: "SELECT profile_name FROM profiles WHERE tenant_id = ? AND ieee8021x_profile_name = ? COLLATE NOCASE LIMIT 1",
            arguments: [config.tenantId, config.profileName])
        {
            return "AMT profile \(profile)"
        }
        if let wireless = try String.fetchOne(
            db, sql: "SELECT profile_name FROM wireless_configs WHERE tenant_id = ? AND ieee8021x_profile_name = ? LIMIT 1",
            arguments: [config.tenantId, config.profileName])
        {
            return "Wi-Fi profile \(wireless)"
        }
        return nil
    }

    static func decode(_ row: Row) throws -> IEEE8021xConfig {
        let name: String = row["profile_name"]
        guard let method = EAPMethod(rawValue: row["authentication_protocol"]) else {
            throw StoreError.corruptRecord(.ieee8021xConfig, name: name, detail: "unknown authentication protocol")
        }
        var config = IEEE8021xConfig(
            profileName: name, authenticationProtocol: method, serverName: row["server_name"], domain: row["domain"],
            username: row["username"], roamingIdentity: row["roaming_identity"], activeInS0: row["active_in_s0"],
            pxeTimeout: row["pxe_timeout"], wiredInterface: row["wired_interface"], tenantId: row["tenant_id"],
            version: row["version"])
        config.hasPassword = (row["password"] as Data?) != nil
        return config
    }
}
