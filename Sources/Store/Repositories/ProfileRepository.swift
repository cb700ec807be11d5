import Foundation
import GRDB

/// CRUD for AMT profiles. Names are unique per tenant and case-insensitive. A profile's
/// `ciraConfigName` must name an existing CIRA config of the same tenant.
/// All methods are async, thread-safe, and run in one transaction each.
public struct ProfileRepository: Sendable {
    static let amtPasswordContext = "profiles.amt_password"
    static let mebxPasswordContext = "profiles.mebx_password"
    static let table = SQLTable<Profile>(
        name: "profiles", keyColumn: "profile_name", entity: .profile, decode: decode, complete: withWifiLinks)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a profile (version becomes 1); static passwords are sealed.
    /// - Throws: `StoreError.duplicate`; `StoreError.invalidReference` for an unknown `ciraConfigName`.
    @discardableResult
    public func create(_ profile: Profile, amtPassword: Secret? = nil, mebxPassword: Secret? = nil) async throws -> Profile {
        let amt = try SQLSupport.sealOptional(amtPassword, context: Self.amtPasswordContext, sealer: sealer)
        let mebx = try SQLSupport.sealOptional(mebxPassword, context: Self.mebxPasswordContext, sealer: sealer)
        let tags = try SQLSupport.encodeTags(profile.tags)
        return try await database.write { db in
            try Self.checkReference(db, profile)
            do {
                try db.execute(
                    sql: """
                        INSERT INTO profiles (tenant_id, profile_name, activation, amt_password,
                            generate_random_password, mebx_password, generate_random_mebx_password,
                            cira_config_name, tls_mode, tls_signing_authority, user_consent, ider_enabled,
                            kvm_enabled, sol_enabled, dhcp_enabled, ip_sync_enabled, local_wifi_sync_enabled,
                            tags, ieee8021x_profile_name, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        profile.tenantId, profile.profileName, profile.activation.rawValue, amt,
                        profile.generateRandomPassword, mebx, profile.generateRandomMEBxPassword,
                        profile.ciraConfigName, profile.tlsMode, profile.tlsSigningAuthority,
                        profile.userConsent?.rawValue, profile.iderEnabled, profile.kvmEnabled,
                        profile.solEnabled, profile.dhcpEnabled, profile.ipSyncEnabled,
                        profile.localWifiSyncEnabled, tags, profile.ieee8021xProfileName,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.profile, name: profile.profileName)
            } catch where SQLSupport.isForeignKeyViolation(error) {
                throw StoreError.invalidReference(.profile, name: profile.profileName, reference: profile.ciraConfigName ?? "")
            }
            try Self.replaceWifiLinks(db, profile)
            return try Self.table.fetch(db, key: profile.profileName, tenantId: profile.tenantId)
        }
    }

    /// Returns the profile. - Throws: `StoreError.notFound`.
    public func get(profileName: String, tenantId: String = "") async throws -> Profile {
        try await Self.table.get(database, key: profileName, tenantId: tenantId)
    }

    /// Lists the tenant's profiles ordered by name (case-insensitive).
    public func list(tenantId: String = "", page: PageRequest = PageRequest()) async throws -> Page<Profile> {
        try await Self.table.list(database, arguments: [tenantId], page: page)
    }

    /// Replaces every field of the profile if `profile.version` matches; the version then increments.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, `StoreError.invalidReference`.
    @discardableResult
    public func update(
        _ profile: Profile, amtPassword: SecretChange = .keep, mebxPassword: SecretChange = .keep
    ) async throws -> Profile {
        var assignments = [
            "activation = ?", "generate_random_password = ?", "generate_random_mebx_password = ?",
            "cira_config_name = ?", "tls_mode = ?", "tls_signing_authority = ?", "user_consent = ?",
            "ider_enabled = ?", "kvm_enabled = ?", "sol_enabled = ?", "dhcp_enabled = ?",
            "ip_sync_enabled = ?", "local_wifi_sync_enabled = ?", "tags = ?", "ieee8021x_profile_name = ?",
        ]
        var arguments: StatementArguments = [
            profile.activation.rawValue, profile.generateRandomPassword, profile.generateRandomMEBxPassword,
            profile.ciraConfigName, profile.tlsMode, profile.tlsSigningAuthority, profile.userConsent?.rawValue,
            profile.iderEnabled, profile.kvmEnabled, profile.solEnabled, profile.dhcpEnabled,
            profile.ipSyncEnabled, profile.localWifiSyncEnabled, try SQLSupport.encodeTags(profile.tags),
            profile.ieee8021xProfileName,
        ]
        try SQLSupport.appendSecret(
            amtPassword, column: "amt_password", context: Self.amtPasswordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        try SQLSupport.appendSecret(
            mebxPassword, column: "mebx_password", context: Self.mebxPasswordContext, sealer: sealer,
            assignments: &assignments, arguments: &arguments)
        arguments += [profile.tenantId, profile.profileName, profile.version]
        let sql = "UPDATE profiles SET \(assignments.joined(separator: ", ")), version = version + 1 "
            + "WHERE tenant_id = ? AND profile_name = ? AND version = ?"
        return try await database.write { [arguments] db in
            try Self.table.update(db, key: profile.profileName, tenantId: profile.tenantId, version: profile.version) {
                try Self.checkReference(db, profile)
                do {
                    try db.execute(sql: sql, arguments: arguments)
                } catch where SQLSupport.isForeignKeyViolation(error) {
                    throw StoreError.invalidReference(.profile, name: profile.profileName, reference: profile.ciraConfigName ?? "")
                }
                try Self.replaceWifiLinks(db, profile)
            }
        }
    }

    /// Deletes the profile. - Throws: `StoreError.notFound`.
    public func delete(profileName: String, tenantId: String = "") async throws {
        try await database.write { db in try Self.table.delete(db, key: profileName, tenantId: tenantId) }
    }

    /// The profile's static passwords (nil where none is stored). For the host's internal use only.
    /// - Throws: `StoreError.notFound`; `SecretError.tampered`.
    public func secrets(profileName: String, tenantId: String = "") async throws -> ProfileSecrets {
        let sealed = try await Self.table.select(
            database, columns: "amt_password, mebx_password", key: profileName, tenantId: tenantId
        ) { row -> (amt: Data?, mebx: Data?) in (amt: row["amt_password"], mebx: row["mebx_password"]) }
        return ProfileSecrets(
            amtPassword: try SQLSupport.unsealOptional(sealed.amt, context: Self.amtPasswordContext, sealer: sealer),
            mebxPassword: try SQLSupport.unsealOptional(sealed.mebx, context: Self.mebxPasswordContext, sealer: sealer))
    }

    private static func checkReference(_ db: GRDB.Database, _ profile: Profile) throws {
        if let cira = profile.ciraConfigName {
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM cira_configs WHERE tenant_id = ? AND config_name = ?)",
                arguments: [profile.tenantId, cira]) ?? false
            if !exists { throw StoreError.invalidReference(.profile, name: profile.profileName, reference: cira) }
        }
        if let ieee = profile.ieee8021xProfileName {
            let wired = try Bool.fetchOne(
                db, sql: "SELECT wired_interface FROM ieee8021x_configs WHERE tenant_id = ? AND profile_name = ?",
                arguments: [profile.tenantId, ieee])
            // Profiles link the wired interface's 802.1x config only.
            if wired != true { throw StoreError.invalidReference(.profile, name: profile.profileName, reference: ieee) }
        }
    }

    /// Replaces the profile's Wi-Fi links with `profile.wifiConfigs`.
    /// - Throws: `StoreError.invalidReference` for an unknown Wi-Fi profile or a repeated priority/name.
    private static func replaceWifiLinks(_ db: GRDB.Database, _ profile: Profile) throws {
        try db.execute(
            sql: "DELETE FROM profile_wifi_configs WHERE tenant_id = ? AND profile_name = ?",
            arguments: [profile.tenantId, profile.profileName])
        for link in profile.wifiConfigs {
            do {
                try db.execute(
                    sql: "INSERT INTO profile_wifi_configs (tenant_id, profile_name, wireless_profile_name, priority) VALUES (?, ?, ?, ?)",
                    arguments: [profile.tenantId, profile.profileName, link.profileName, link.priority])
            } catch where SQLSupport.isForeignKeyViolation(error) || SQLSupport.isUniqueViolation(error) {
                throw StoreError.invalidReference(.profile, name: profile.profileName, reference: link.profileName)
            }
        }
    }

    /// The profile with its Wi-Fi links (stored spelling of each name), by priority.
    private static func withWifiLinks(_ db: GRDB.Database, _ profile: Profile) throws -> Profile {
        var profile = profile
        profile.wifiConfigs = try Row.fetchAll(
            db, sql: """
                SELECT w.profile_name AS name, l.priority AS priority FROM profile_wifi_configs l
                JOIN wireless_configs w ON w.tenant_id = l.tenant_id AND w.profile_name = l.wireless_profile_name
                WHERE l.tenant_id = ? AND l.profile_name = ? ORDER BY l.priority
                """, arguments: [profile.tenantId, profile.profileName]
        ).map { ProfileWifiLink(profileName: $0["name"], priority: $0["priority"]) }
        return profile
    }

    static func decode(_ row: Row) throws -> Profile {
        let name: String = row["profile_name"]
        guard let activation = ActivationMode(rawValue: row["activation"]) else {
            throw StoreError.corruptRecord(.profile, name: name, detail: "unknown activation mode")
        }
        var consent: UserConsent?
        if let raw = row["user_consent"] as String? {
            guard let value = UserConsent(rawValue: raw) else {
                throw StoreError.corruptRecord(.profile, name: name, detail: "unknown user consent")
            }
            consent = value
        }
        var profile = Profile(
            profileName: name, activation: activation,
            generateRandomPassword: row["generate_random_password"],
            generateRandomMEBxPassword: row["generate_random_mebx_password"],
            ciraConfigName: row["cira_config_name"], tlsMode: row["tls_mode"],
            tlsSigningAuthority: row["tls_signing_authority"], userConsent: consent,
            iderEnabled: row["ider_enabled"], kvmEnabled: row["kvm_enabled"], solEnabled: row["sol_enabled"],
            dhcpEnabled: row["dhcp_enabled"], ipSyncEnabled: row["ip_sync_enabled"],
            localWifiSyncEnabled: row["local_wifi_sync_enabled"],
            tags: try SQLSupport.decodeTags(row["tags"], entity: .profile, name: name),
            ieee8021xProfileName: row["ieee8021x_profile_name"], tenantId: row["tenant_id"],
            version: row["version"])
        profile.hasAMTPassword = (row["amt_password"] as Data?) != nil
        profile.hasMEBxPassword = (row["mebx_password"] as Data?) != nil
        return profile
    }
}
