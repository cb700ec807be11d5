import Foundation
import GRDB

/// CRUD for Wi-Fi profiles. Names are unique per tenant and case-insensitive. A profile's
/// `ieee8021xProfileName` must name an existing 802.1x config of the tenant; a Wi-Fi profile
/// cannot be deleted while an AMT profile links to it. All methods are async, thread-safe, and
/// run in one transaction each.
public struct WirelessConfigRepository: Sendable {
    static let pskContext = "wireless_configs.psk_passphrase"
    static let table = SQLTable<WirelessConfig>(
        name: "wireless_configs", keyColumn: "profile_name", entity: .wirelessConfig, decode: decode)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a config (version becomes 1); the PSK passphrase is sealed.
    /// - Throws: `StoreError.duplicate`; `StoreError.invalidReference` for an unknown 802.1x config.
    @discardableResult
    public func create(_ config: WirelessConfig, pskPassphrase: Secret? = nil) async throws -> WirelessConfig {
        let sealed = try SQLSupport.sealOptional(pskPassphrase, context: Self.pskContext, sealer: sealer)
        let policy = try Self.encode(config.linkPolicy)
        return try await database.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO wireless_configs (tenant_id, profile_name, authentication_method, encryption_method,
                            ssid, psk_passphrase, psk_value, link_policy, ieee8021x_profile_name, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        config.tenantId, config.profileName, config.authenticationMethod.rawValue,
                        config.encryptionMethod.rawValue, config.ssid, sealed, config.pskValue, policy,
                        config.ieee8021xProfileName,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.wirelessConfig, name: config.profileName)
            } catch where SQLSupport.isForeignKeyViolation(error) {
                throw StoreError.invalidReference(.wirelessConfig, name: config.profileName, reference: config.ieee8021xProfileName ?? "")
            }
            return try Self.table.fetch(db, key: config.profileName, tenantId: config.tenantId)
        }
    }

    /// Returns the config. - Throws: `StoreError.notFound`.
    public func get(profileName: String, tenantId: String = "") async throws -> WirelessConfig {
        try await Self.table.get(database, key: profileName, tenantId: tenantId)
    }

    /// Lists the tenant's configs ordered by name (case-insensitive).
    public func list(tenantId: String = "", page: PageRequest = PageRequest()) async throws -> Page<WirelessConfig> {
        try await Self.table.list(database, arguments: [tenantId], page: page)
    }

    /// The subset of `names` that name no config of the tenant, in the order given.
    public func missing(_ names: [String], tenantId: String = "") async throws -> [String] {
        try await database.read { db in
            try names.filter { name in
                try !(Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM wireless_configs WHERE tenant_id = ? AND profile_name = ?)",
                    arguments: [tenantId, name]) ?? false)
            }
        }
    }

    /// Replaces every field if `config.version` matches; the version then increments.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, `StoreError.invalidReference`.
    @discardableResult
    public func update(_ config: WirelessConfig, pskPassphrase: SecretChange = .keep) async throws -> WirelessConfig {
        var assignments = [
            "authentication_method = ?", "encryption_method = ?", "ssid = ?", "psk_value = ?", "link_policy = ?",
            "ieee8021x_profile_name = ?",
        ]
        var arguments: StatementArguments = [
            config.authenticationMethod.rawValue, config.encryptionMethod.rawValue, config.ssid, config.pskValue,
            try Self.encode(config.linkPolicy), config.ieee8021xProfileName,
        ]
        try SQLSupport.appendSecret(
            pskPassphrase, column: "psk_passphrase", context: Self.pskContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        arguments += [config.tenantId, config.profileName, config.version]
        let sql = "UPDATE wireless_configs SET \(assignments.joined(separator: ", ")), version = version + 1 "
            + "WHERE tenant_id = ? AND profile_name = ? AND version = ?"
        return try await database.write { [arguments] db in
            try Self.table.update(db, key: config.profileName, tenantId: config.tenantId, version: config.version) {
                do {
                    try db.execute(sql: sql, arguments: arguments)
                } catch where SQLSupport.isForeignKeyViolation(error) {
                    throw StoreError.invalidReference(
                        .wirelessConfig, name: config.profileName, reference: config.ieee8021xProfileName ?? "")
                }
            }
        }
    }

    /// Deletes the config. - Throws: `StoreError.notFound`; `StoreError.inUse` while an AMT profile links to it.
    public func delete(profileName: String, tenantId: String = "") async throws {
        try await database.write { db in
            let current = try Self.table.fetch(db, key: profileName, tenantId: tenantId)
            if let profile = try String.fetchOne(
                db, sql: "SELECT profile_name FROM profile_wifi_configs WHERE tenant_id = ? AND wireless_profile_name = ? LIMIT 1",
                arguments: [tenantId, profileName])
            {
                throw StoreError.inUse(.wirelessConfig, name: current.profileName, referencedBy: "AMT profile \(profile)")
            }
            try Self.table.delete(db, key: profileName, tenantId: tenantId)
        }
    }

    /// The PSK passphrase, or nil. For the host's internal use only (writing it into AMT).
    /// - Throws: `StoreError.notFound`; `SecretError.tampered`.
    public func pskPassphrase(profileName: String, tenantId: String = "") async throws -> Secret? {
        let sealed = try await Self.table.select(database, columns: "psk_passphrase", key: profileName, tenantId: tenantId) {
            $0["psk_passphrase"] as Data?
        }
        return try SQLSupport.unsealOptional(sealed, context: Self.pskContext, sealer: sealer)
    }

    private static func encode(_ policy: [Int]) throws -> String {
        String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
    }

    static func decode(_ row: Row) throws -> WirelessConfig {
        let name: String = row["profile_name"]
        guard let method = WirelessAuthenticationMethod(rawValue: row["authentication_method"]),
              let encryption = WirelessEncryptionMethod(rawValue: row["encryption_method"])
        else { throw StoreError.corruptRecord(.wirelessConfig, name: name, detail: "unknown authentication or encryption method") }
        let policyText: String = row["link_policy"]
        guard let policy = try? JSONDecoder().decode([Int].self, from: Data(policyText.utf8)) else {
            throw StoreError.corruptRecord(.wirelessConfig, name: name, detail: "link policy is not a JSON integer array")
        }
        var config = WirelessConfig(
            profileName: name, authenticationMethod: method, encryptionMethod: encryption, ssid: row["ssid"],
            pskValue: row["psk_value"], linkPolicy: policy, ieee8021xProfileName: row["ieee8021x_profile_name"],
            tenantId: row["tenant_id"], version: row["version"])
        config.hasPSKPassphrase = (row["psk_passphrase"] as Data?) != nil
        return config
    }
}
