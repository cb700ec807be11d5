import COpenSSL
import Foundation

/// The host's self-signed PKI: an RSA root CA (whose certificate AMT is given as the
/// "MPS root certificate") and a server certificate it signed for the CIRA/HTTPS common name.
///
/// A plain `Sendable` value holding PEM text only; OpenSSL objects are created on demand inside
/// each call, so any thread may use it. Key PEMs are unencrypted PKCS#8: seal them before
/// storing (the Store module does that).
public struct CertificateAuthority: Sendable, Equatable {
    public let rootCertificatePEM: String
    public let rootPrivateKeyPEM: String
    public let serverCertificatePEM: String
    public let serverPrivateKeyPEM: String
    /// The server certificate's CN (the address AMT connects to).
    public let commonName: String

    /// Default lifetimes: the root outlives any deployment; the server certificate is
    /// long-lived too because AMT devices in the field cannot be told about a renewal.
    public static let defaultRootValidityDays = 20 * 365
    public static let defaultServerValidityDays = 10 * 365
    public static let keyBits: Int32 = 2048

    /// Generates a fresh root CA and a server certificate for `commonName` (an IP address or a
    /// DNS name; it becomes both the CN and the subjectAltName). Takes a few hundred ms.
    public static func generate(
        commonName: String,
        organization: String = "Tether",
        rootValidityDays: Int = defaultRootValidityDays,
        serverValidityDays: Int = defaultServerValidityDays
    ) throws(TLSError) -> CertificateAuthority {
        try validate(commonName: commonName)
        let rootKey = try PrivateKey.generateRSA(bits: keyBits)
        let rootTag = try publicKeyTag(rootKey)
        let root = try CertificateBuilder(
            subject: [("O", organization), ("CN", "Tether Root \(rootTag)")],
            publicKey: rootKey,
            validityDays: rootValidityDays,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        ).sign(issuer: nil, issuerKey: rootKey)
        return try issue(
            commonName: commonName, organization: organization, validityDays: serverValidityDays,
            root: root, rootKey: rootKey)
    }

    /// Loads a previously generated authority and checks that it hangs together: each key
    /// matches its certificate and the server certificate is signed by the root.
    public init(
        rootCertificatePEM: String,
        rootPrivateKeyPEM: String,
        serverCertificatePEM: String,
        serverPrivateKeyPEM: String
    ) throws(TLSError) {
        let root = try X509Certificate.parse(pem: rootCertificatePEM)
        let rootKey = try PrivateKey.parse(pem: rootPrivateKeyPEM)
        let server = try X509Certificate.parse(pem: serverCertificatePEM)
        let serverKey = try PrivateKey.parse(pem: serverPrivateKeyPEM)
        OpenSSLErrorQueue.clear()
        guard X509_check_private_key(root.pointer, rootKey.pointer) == 1 else {
            throw TLSError.invalidCertificate("the root private key does not match the root certificate")
        }
        guard X509_check_private_key(server.pointer, serverKey.pointer) == 1 else {
            throw TLSError.invalidCertificate("the server private key does not match the server certificate")
        }
        guard X509_verify(server.pointer, X509_get0_pubkey(root.pointer)) == 1 else {
            _ = OpenSSLErrorQueue.drain(fallback: "")
            throw TLSError.invalidCertificate("the server certificate was not signed by the root certificate")
        }
        guard let cn = try CertificateSummary(certificate: server).subjectCommonName else {
            throw TLSError.invalidCertificate("the server certificate has no common name")
        }
        self.rootCertificatePEM = rootCertificatePEM
        self.rootPrivateKeyPEM = rootPrivateKeyPEM
        self.serverCertificatePEM = serverCertificatePEM
        self.serverPrivateKeyPEM = serverPrivateKeyPEM
        self.commonName = cn
    }

    private init(root: X509Certificate, rootKey: PrivateKey, server: X509Certificate, serverKey: PrivateKey, commonName: String) throws(TLSError) {
        self.rootCertificatePEM = try root.pem()
        self.rootPrivateKeyPEM = try rootKey.pem()
        self.serverCertificatePEM = try server.pem()
        self.serverPrivateKeyPEM = try serverKey.pem()
        self.commonName = commonName
    }

    /// A new server key and certificate for `commonName`, signed by the same root.
    public func reissuingServerCertificate(
        commonName: String,
        organization: String = "Tether",
        validityDays: Int = defaultServerValidityDays
    ) throws(TLSError) -> CertificateAuthority {
        try Self.validate(commonName: commonName)
        let root = try X509Certificate.parse(pem: rootCertificatePEM)
        let rootKey = try PrivateKey.parse(pem: rootPrivateKeyPEM)
        return try Self.issue(
            commonName: commonName, organization: organization, validityDays: validityDays,
            root: root, rootKey: rootKey)
    }

    /// Whether the server certificate is valid for `name` (its CN or a subjectAltName), the
    /// check a device makes against the CIRA config's common name.
    public func serverCertificateCovers(_ name: String) -> Bool {
        (try? CertificateSummary(pem: serverCertificatePEM).matches(name: name)) ?? false
    }

    /// The names the server certificate is valid for: the CN, then each subjectAltName
    /// (DNS names and IP addresses), without duplicates.
    public var serverCertificateNames: [String] {
        var names = [commonName]
        let summary = try? CertificateSummary(pem: serverCertificatePEM)
        for name in summary?.alternativeNames ?? [] {
            let text: String
            switch name {
            case .dns(let dns): text = dns
            case .ipAddress(let ip): text = ip
            }
            if !names.contains(where: { $0.lowercased() == text.lowercased() }) { names.append(text) }
        }
        return names
    }

    /// A new server key and certificate from the same root, with the same CN and every name
    /// the current certificate covers plus `names` as subjectAltNames (so devices configured
    /// with any of them verify the server). Returns `self` when every name is already covered.
    public func coveringAdditionalNames(
        _ names: [String], organization: String = "Tether", validityDays: Int = defaultServerValidityDays
    ) throws(TLSError) -> CertificateAuthority {
        let missing = names.filter { !serverCertificateCovers($0) }
        guard !missing.isEmpty else { return self }
        for name in missing { try Self.validate(commonName: name) }
        let root = try X509Certificate.parse(pem: rootCertificatePEM)
        let rootKey = try PrivateKey.parse(pem: rootPrivateKeyPEM)
        var all = serverCertificateNames
        for name in missing where !all.contains(where: { $0.lowercased() == name.lowercased() }) { all.append(name) }
        return try Self.issue(
            commonName: commonName, alternativeNames: all, organization: organization, validityDays: validityDays,
            root: root, rootKey: rootKey)
    }

    /// Server certificate followed by the root: what a TLS server presents.
    public var serverCertificateChainPEM: String {
        serverCertificatePEM + rootCertificatePEM
    }

    /// The root certificate as base64 DER on one line: the CIRA config's "MPS root certificate"
    /// field (AMT's `AddTrustedRootCertificate` blob).
    public var rootCertificateDERBase64: String {
        get throws(TLSError) { try CertificateSummary(pem: rootCertificatePEM).derBase64 }
    }

    /// SHA-256 fingerprint of the root certificate, lowercase hex.
    public var rootFingerprintSHA256: String {
        get throws(TLSError) { try CertificateSummary(pem: rootCertificatePEM).fingerprintSHA256 }
    }

    /// Converts a PEM certificate to single-line base64 DER (strips armour and whitespace after
    /// checking the certificate parses).
    public static func derBase64(fromPEM pem: String) throws(TLSError) -> String {
        try CertificateSummary(pem: pem).derBase64
    }

    // MARK: Internals

    private static func issue(
        commonName: String, alternativeNames: [String]? = nil, organization: String, validityDays: Int,
        root: X509Certificate, rootKey: PrivateKey
    ) throws(TLSError) -> CertificateAuthority {
        let serverKey = try PrivateKey.generateRSA(bits: keyBits)
        let san = (alternativeNames ?? [commonName])
            .map { IPAddressText.bytes($0) != nil ? "IP:\($0)" : "DNS:\($0)" }
            .joined(separator: ",")
        let server = try CertificateBuilder(
            subject: [("O", organization), ("CN", commonName)],
            publicKey: serverKey,
            validityDays: validityDays,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
                (NID_ext_key_usage, "serverAuth"),
                (NID_subject_alt_name, san),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        ).sign(issuer: root, issuerKey: rootKey)
        return try CertificateAuthority(
            root: root, rootKey: rootKey, server: server, serverKey: serverKey, commonName: commonName)
    }

    /// CN must fit X.509's 64-character limit and be a plain host name or IP address (it is
    /// also written into an OpenSSL extension value, where ',' and ':' would be syntax).
    static func validate(commonName: String) throws(TLSError) {
        guard !commonName.isEmpty, commonName.utf8.count <= 64 else {
            throw TLSError.invalidConfiguration("the common name must be 1 to 64 characters, got '\(commonName)'")
        }
        if IPAddressText.bytes(commonName) != nil { return }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_*")
        guard commonName.allSatisfy({ allowed.contains($0) }) else {
            throw TLSError.invalidConfiguration(
                "the common name '\(commonName)' must be an IP address or a DNS name (letters, digits, '.', '-', '_')")
        }
    }

    /// First 6 hex characters of the SHA-256 of the public key (names the root uniquely).
    private static func publicKeyTag(_ key: PrivateKey) throws(TLSError) -> String {
        let der = try MemoryBIO.collectBytes({ i2d_PUBKEY_bio($0, key.pointer) }, what: "public key encoding")
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(der, der.count, &digest, &length, EVP_sha256(), nil) == 1 else {
            throw TLSError.generationFailed("cannot hash the root public key")
        }
        return digest.prefix(3).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
