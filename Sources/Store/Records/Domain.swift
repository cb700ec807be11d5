import Foundation

/// How the provisioning certificate was uploaded (stored, not interpreted).
public enum CertificateStorageFormat: String, Sendable, Equatable, CaseIterable {
    case raw
    case string
}

/// An AMT domain: a DNS suffix and the provisioning certificate used for ACM activation.
///
/// The PFX and its password are sealed and not part of this value; read them with
/// `DomainRepository.provisioningCertificate(profileName:tenantId:)`.
public struct Domain: Sendable, Equatable {
    public var profileName: String
    public var domainSuffix: String
    public var provisioningCertStorageFormat: CertificateStorageFormat
    /// Earliest `notAfter` of the certificates in the PFX (see `DomainValidator`).
    public var expirationDate: Date
    public var tenantId: String
    /// Optimistic-concurrency token: 1 after create, +1 on every update. Ignored by create.
    public var version: Int

    public init(
        profileName: String, domainSuffix: String,
        provisioningCertStorageFormat: CertificateStorageFormat = .string,
        expirationDate: Date, tenantId: String = "", version: Int = 0
    ) {
        self.profileName = profileName
        self.domainSuffix = domainSuffix
        self.provisioningCertStorageFormat = provisioningCertStorageFormat
        self.expirationDate = expirationDate
        self.tenantId = tenantId
        self.version = version
    }
}

/// A domain's sealed provisioning certificate, returned only by `DomainRepository.provisioningCertificate`.
public struct ProvisioningCertificateSecret: Sendable, Equatable {
    /// The PFX, base64.
    public var pfxBase64: Secret
    public var password: Secret

    public init(pfxBase64: Secret, password: Secret) {
        self.pfxBase64 = pfxBase64
        self.password = password
    }
}
