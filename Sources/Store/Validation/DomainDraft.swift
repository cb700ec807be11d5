/// Unvalidated domain input as a client sent it (every field optional).
public struct DomainDraft: Sendable, Equatable {
    public var profileName: String?
    public var domainSuffix: String?
    /// The PFX, base64 (a `data:...;base64,` prefix is the caller's to strip).
    public var provisioningCert: String?
    public var provisioningCertPassword: String?
    public var provisioningCertStorageFormat: String?

    public init(
        profileName: String? = nil, domainSuffix: String? = nil, provisioningCert: String? = nil,
        provisioningCertPassword: String? = nil, provisioningCertStorageFormat: String? = nil
    ) {
        self.profileName = profileName
        self.domainSuffix = domainSuffix
        self.provisioningCert = provisioningCert
        self.provisioningCertPassword = provisioningCertPassword
        self.provisioningCertStorageFormat = provisioningCertStorageFormat
    }
}

/// The outcome of `DomainValidator`: all field errors, plus the certificate facts when the PFX opened.
public struct DomainValidationResult: Sendable, Equatable {
    public var errors: [FieldError]
    /// Present when a PFX was given and opened; `expirationDate` is what the store should keep.
    public var certificate: ProvisioningCertificateInfo?

    public var isValid: Bool { errors.isEmpty }
}
