import Foundation

/// Facts read from a provisioning certificate PFX by `PKCS12Inspector`.
public struct ProvisioningCertificateInfo: Sendable, Equatable {
    /// The earliest `notAfter` over every certificate in the PFX (RPS's `expirationDate`).
    public var expirationDate: Date
    /// The common name of the certificate that belongs to the private key (the leaf).
    public var leafCommonName: String?
    /// Number of certificates in the PFX (leaf + chain).
    public var certificateCount: Int

    public init(expirationDate: Date, leafCommonName: String?, certificateCount: Int) {
        self.expirationDate = expirationDate
        self.leafCommonName = leafCommonName
        self.certificateCount = certificateCount
    }
}

/// Why a PFX could not be used.
public enum PKCS12Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not base64.
    case notBase64
    /// Not a PKCS#12 structure, or the password is wrong (OpenSSL cannot tell these apart reliably).
    case cannotDecrypt
    /// The PFX holds no private key.
    case noPrivateKey
    /// The PFX holds no certificate.
    case noCertificate
    /// A certificate's validity dates could not be read.
    case unreadableValidity

    public var message: String {
        switch self {
        case .notBase64: return "Provisioning certificate is not valid base64"
        case .cannotDecrypt:
            return "Unable to decrypt provisioning certificate. Please check that the password is correct, and that the certificate is a valid certificate."
        case .noPrivateKey: return "Provisioning certificate does not contain a private key"
        case .noCertificate: return "Provisioning certificate does not contain a certificate"
        case .unreadableValidity: return "Provisioning certificate validity dates are unreadable"
        }
    }

    public var description: String { message }
}
