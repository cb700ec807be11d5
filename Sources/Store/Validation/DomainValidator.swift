import Foundation

/// Validates domain input with RPS's rules and messages (shared/reference/rps.md §4.3, §4.4), opening the PFX with
/// OpenSSL. Differences from RPS, chosen deliberately:
/// - a PFX without a private key gets its own message on `provisioningCert` (RPS reports it as a
///   decryption failure);
/// - each call parses its own PFX (RPS keeps the previous request's PFX in a module variable);
/// - on update the certificate is optional; when one is sent its password must be sent too.
public struct DomainValidator: Sendable {
    public static let maximumPasswordLength = 64

    public init() {}

    /// Validates a create (POST) body. `now` decides what "expired" means.
    public func validateCreate(_ draft: DomainDraft, now: Date = Date()) -> DomainValidationResult {
        var errors: [FieldError] = []
        validateName(draft.profileName, patternMessage: "AMT Domain profile name accepts letters, numbers, special characters and no spaces", into: &errors)

        // Field checks come in the peer's order (format before decrypting), so the first
        // error matches RPS's.
        if let format = nonEmpty(draft.provisioningCertStorageFormat) {
            if CertificateStorageFormat(rawValue: format) == nil {
                errors.append(FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format should be either 'raw' or 'string'"))
            }
        } else {
            errors.append(FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format is required"))
            errors.append(FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format should be either 'raw' or 'string'"))
        }

        var info: ProvisioningCertificateInfo?
        var pfxError: PKCS12Error?
        if let password = nonEmpty(draft.provisioningCertPassword) {
            if password.count > Self.maximumPasswordLength {
                errors.append(FieldError(field: "provisioningCertPassword", message: "Password should not exceed 64 characters in length"))
            }
            (info, pfxError) = open(draft.provisioningCert, password: password)
            if pfxError == .cannotDecrypt || pfxError == .notBase64 {
                errors.append(FieldError(field: "provisioningCertPassword", message: PKCS12Error.cannotDecrypt.message))
            }
        } else {
            errors.append(FieldError(field: "provisioningCertPassword", message: "Provisioning Cert Password is required"))
        }

        if let suffix = nonEmpty(draft.domainSuffix) {
            checkSuffix(suffix, info: info, into: &errors)
        } else {
            errors.append(FieldError(field: "domainSuffix", message: "Domain suffix name is required"))
        }

        if nonEmpty(draft.provisioningCert) == nil {
            errors.append(FieldError(field: "provisioningCert", message: "Provisioning certificate is required"))
        } else {
            checkCertificate(info: info, pfxError: pfxError, now: now, into: &errors)
        }

        return DomainValidationResult(errors: errors, certificate: info)
    }

    /// Validates an update (PATCH) body: `validateUpdateFields` then `validateUpdateCertificate`.
    public func validateUpdate(_ draft: DomainDraft, now: Date = Date()) -> DomainValidationResult {
        let certificate = validateUpdateCertificate(draft, now: now)
        return DomainValidationResult(errors: validateUpdateFields(draft) + certificate.errors, certificate: certificate.certificate)
    }

    /// The update rules that need only the body (RPS's PATCH validator, shared/reference/rps.md §4.4):
    /// `profileName` required; other fields checked when present; a certificate needs its password.
    /// The host applies these before it looks the domain up, so a bad body is a 400 even for an
    /// unknown domain, as in RPS.
    public func validateUpdateFields(_ draft: DomainDraft) -> [FieldError] {
        var errors: [FieldError] = []
        validateName(draft.profileName, patternMessage: "AMT Domain name accepts letters, numbers, special characters and no spaces", into: &errors)
        if let password = draft.provisioningCertPassword, password.count > Self.maximumPasswordLength {
            errors.append(FieldError(field: "provisioningCertPassword", message: "Password should not exceed 64 characters in length"))
        }
        if nonEmpty(draft.provisioningCert) != nil, nonEmpty(draft.provisioningCertPassword) == nil {
            errors.append(FieldError(field: "provisioningCertPassword", message: "Provisioning Cert Password is required"))
        }
        if draft.domainSuffix?.isEmpty == true {
            errors.append(FieldError(field: "domainSuffix", message: "Domain suffix name is required"))
        }
        if let format = draft.provisioningCertStorageFormat, CertificateStorageFormat(rawValue: format) == nil {
            errors.append(FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format is either \"raw\" or \"string\""))
        }
        return errors
    }

    /// The update rules that open a sent PFX: decryption, key and expiry, and its CN against the
    /// sent suffix. RPS's PATCH skips all of these (it stores an expired certificate or one for
    /// another domain); Tether applies the create rules, because such a domain can never activate
    /// a device. The host runs them after the 404 check.
    public func validateUpdateCertificate(_ draft: DomainDraft, now: Date = Date()) -> DomainValidationResult {
        var errors: [FieldError] = []
        var info: ProvisioningCertificateInfo?
        if let cert = nonEmpty(draft.provisioningCert), let password = nonEmpty(draft.provisioningCertPassword) {
            let (opened, pfxError) = open(cert, password: password)
            info = opened
            if pfxError == .cannotDecrypt || pfxError == .notBase64 {
                errors.append(FieldError(field: "provisioningCertPassword", message: PKCS12Error.cannotDecrypt.message))
            }
            checkCertificate(info: info, pfxError: pfxError, now: now, into: &errors)
        }
        if let suffix = nonEmpty(draft.domainSuffix) {
            checkSuffix(suffix, info: info, into: &errors)
        }
        return DomainValidationResult(errors: errors, certificate: info)
    }

    /// True if the last two DNS labels of `commonName` and `suffix` are equal (case-insensitive),
    /// RPS's test for "this certificate belongs to this domain".
    public static func commonName(_ commonName: String, matchesSuffix suffix: String) -> Bool {
        func lastTwo(_ text: String) -> [Substring] {
            Array(text.lowercased().split(separator: ".", omittingEmptySubsequences: false).suffix(2))
        }
        let a = lastTwo(commonName)
        return a.count == 2 && a == lastTwo(suffix)
    }

    // MARK: - Rules

    private func validateName(_ name: String?, patternMessage: String, into errors: inout [FieldError]) {
        guard let name = nonEmpty(name) else {
            errors.append(FieldError(field: "profileName", message: "AMT Domain profile name is required"))
            errors.append(FieldError(field: "profileName", message: patternMessage))
            return
        }
        if !NameRules.hasValidCharacters(name, specials: NameRules.profileNameSpecials) {
            errors.append(FieldError(field: "profileName", message: patternMessage))
        }
        if name.count > NameRules.maximumLength {
            errors.append(FieldError(field: "profileName", message: "AMT Domain profile name should not exceed \(NameRules.maximumLength) characters"))
        }
    }

    private func open(_ cert: String?, password: String) -> (ProvisioningCertificateInfo?, PKCS12Error?) {
        guard let cert = nonEmpty(cert) else { return (nil, .cannotDecrypt) }
        do {
            return (try PKCS12Inspector.inspect(base64: cert, password: password), nil)
        } catch {
            return (nil, error)
        }
    }

    private func checkSuffix(_ suffix: String, info: ProvisioningCertificateInfo?, into errors: inout [FieldError]) {
        guard let info else { return }  // nothing to compare with; the PFX error is reported elsewhere
        guard let commonName = info.leafCommonName, Self.commonName(commonName, matchesSuffix: suffix) else {
            errors.append(FieldError(field: "domainSuffix", message: "FQDN not associated with provisioning certificate"))
            return
        }
    }

    private func checkCertificate(
        info: ProvisioningCertificateInfo?, pfxError: PKCS12Error?, now: Date, into errors: inout [FieldError]
    ) {
        switch pfxError {
        case .noPrivateKey?, .noCertificate?, .unreadableValidity?:
            errors.append(FieldError(field: "provisioningCert", message: pfxError!.message))
        case .cannotDecrypt?, .notBase64?, nil:
            break
        }
        if let info, info.expirationDate <= now {
            errors.append(FieldError(field: "provisioningCert", message: "Uploaded certificate has expired"))
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
