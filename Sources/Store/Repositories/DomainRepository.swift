import Foundation
import GRDB

/// CRUD for AMT domains (provisioning certificates). Name and suffix are each unique per tenant,
/// case-insensitive. Validate input with `DomainValidator` first; the store does not parse PFX files.
public struct DomainRepository: Sendable {
    static let certContext = "domains.provisioning_cert"
    static let passwordContext = "domains.provisioning_cert_password"
    static let table = SQLTable<Domain>(name: "domains", keyColumn: "profile_name", entity: .domain, decode: decode)
    let database: Database
    let sealer: SecretSealer

    public init(database: Database, sealer: SecretSealer) {
        self.database = database
        self.sealer = sealer
    }

    /// Inserts a domain with its sealed PFX (base64) and password.
    /// - Throws: `StoreError.duplicate` if the name or the suffix exists for the tenant.
    @discardableResult
    public func create(_ domain: Domain, certificate: ProvisioningCertificateSecret) async throws -> Domain {
        let cert = try sealer.seal(certificate.pfxBase64, context: Self.certContext)
        let password = try sealer.seal(certificate.password, context: Self.passwordContext)
        return try await database.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO domains (tenant_id, profile_name, domain_suffix, provisioning_cert,
                            provisioning_cert_storage_format, provisioning_cert_password, expiration_date, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 1)
                        """,
                    arguments: [
                        domain.tenantId, domain.profileName, domain.domainSuffix, cert,
                        domain.provisioningCertStorageFormat.rawValue, password,
                        domain.expirationDate.timeIntervalSince1970,
                    ])
            } catch where SQLSupport.isUniqueViolation(error) {
                throw StoreError.duplicate(.domain, name: domain.profileName)
            }
            return try Self.table.fetch(db, key: domain.profileName, tenantId: domain.tenantId)
        }
    }

    /// Returns the domain. - Throws: `StoreError.notFound`.
    public func get(profileName: String, tenantId: String = "") async throws -> Domain {
        try await Self.table.get(database, key: profileName, tenantId: tenantId)
    }

    /// The domain whose suffix equals `domainSuffix` (case-insensitive, exact), as used at ACM activation.
    public func find(domainSuffix: String, tenantId: String = "") async throws -> Domain? {
        try await database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM domains WHERE tenant_id = ? AND domain_suffix = ?",
                arguments: [tenantId, domainSuffix]
            ).map(Self.decode)
        }
    }

    /// Lists the tenant's domains ordered by name.
    public func list(tenantId: String = "", page: PageRequest = PageRequest()) async throws -> Page<Domain> {
        try await Self.table.list(database, arguments: [tenantId], page: page)
    }

    /// Replaces the domain's fields (and, if given, its certificate) when `domain.version` matches.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, `StoreError.duplicate` (suffix taken).
    @discardableResult
    public func update(_ domain: Domain, certificate: ProvisioningCertificateSecret? = nil) async throws -> Domain {
        var assignments = ["domain_suffix = ?", "provisioning_cert_storage_format = ?", "expiration_date = ?"]
        var arguments: StatementArguments = [
            domain.domainSuffix, domain.provisioningCertStorageFormat.rawValue, domain.expirationDate.timeIntervalSince1970,
        ]
        if let certificate {
            assignments += ["provisioning_cert = ?", "provisioning_cert_password = ?"]
            arguments += [
                try sealer.seal(certificate.pfxBase64, context: Self.certContext),
                try sealer.seal(certificate.password, context: Self.passwordContext),
            ]
        }
        arguments += [domain.tenantId, domain.profileName, domain.version]
        let sql = "UPDATE domains SET \(assignments.joined(separator: ", ")), version = version + 1 "
            + "WHERE tenant_id = ? AND profile_name = ? AND version = ?"
        return try await database.write { [arguments] db in
            try Self.table.update(db, key: domain.profileName, tenantId: domain.tenantId, version: domain.version) {
                do {
                    try db.execute(sql: sql, arguments: arguments)
                } catch where SQLSupport.isUniqueViolation(error) {
                    throw StoreError.duplicate(.domain, name: domain.profileName)
                }
            }
        }
    }

    /// Deletes the domain. - Throws: `StoreError.notFound`.
    public func delete(profileName: String, tenantId: String = "") async throws {
        try await database.write { db in try Self.table.delete(db, key: profileName, tenantId: tenantId) }
    }

    /// The sealed PFX and password. For the host's internal use only (ACM activation).
    /// - Throws: `StoreError.notFound`; `SecretError.tampered`.
    public func provisioningCertificate(profileName: String, tenantId: String = "") async throws -> ProvisioningCertificateSecret {
        let sealed = try await Self.table.select(
            database, columns: "provisioning_cert, provisioning_cert_password", key: profileName, tenantId: tenantId
        ) { row -> (cert: Data, password: Data) in
            (cert: row["provisioning_cert"], password: row["provisioning_cert_password"])
        }
        return ProvisioningCertificateSecret(
            pfxBase64: try sealer.unsealSecret(sealed.cert, context: Self.certContext),
            password: try sealer.unsealSecret(sealed.password, context: Self.passwordContext))
    }

    static func decode(_ row: Row) throws -> Domain {
        let name: String = row["profile_name"]
        guard let format = CertificateStorageFormat(rawValue: row["provisioning_cert_storage_format"]) else {
            throw StoreError.corruptRecord(.domain, name: name, detail: "unknown certificate storage format")
        }
        return Domain(
            profileName: name, domainSuffix: row["domain_suffix"], provisioningCertStorageFormat: format,
            expirationDate: Date(timeIntervalSince1970: row["expiration_date"]), tenantId: row["tenant_id"],
            version: row["version"])
    }
}
