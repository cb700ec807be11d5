import COpenSSL
import Foundation

/// An ACM provisioning certificate opened from its PFX: the chain ordered leaf → root (as
/// `AddNextCertInChain` wants it), the leaf's private key, the root's fingerprints (what AMT's
/// trusted hashes hold), and RSA PKCS#1 v1.5 SHA-256 signing of the setup nonces.
///
/// A `Sendable` value of bytes and PEM text; OpenSSL objects live only inside each call.
public struct ProvisioningCertificate: Sendable, Equatable {
    /// DER certificates, leaf first, root last.
    public let certificatesDER: [[UInt8]]
    /// The leaf's private key (unencrypted PKCS#8 PEM; keep it in memory only).
    public let privateKeyPEM: String

    /// Chains longer than this are refused (RPS handles at most 4).
    public static let maxChainLength = 4

    /// Each certificate as base64 DER.
    public var certificatesBase64: [String] { certificatesDER.map { Data($0).base64EncodedString() } }
    /// SHA-256 of the root's DER, lower-case hex.
    public var rootSHA256: String { Self.hexDigest(certificatesDER.last ?? [], EVP_sha256()) }
    /// SHA-1 of the root's DER, lower-case hex (older AMT hash entries).
    public var rootSHA1: String { Self.hexDigest(certificatesDER.last ?? [], EVP_sha1()) }

    /// Opens a base64 PFX and orders its chain by issuer.
    /// - Throws: `TLSError.invalidCertificate` when it cannot be opened, has no key or leaf, or
    ///   the chain does not end in a self-signed root within ``maxChainLength`` certificates.
    public static func open(pfxBase64: String, password: String) throws(TLSError) -> ProvisioningCertificate {
        guard let der = Data(base64Encoded: pfxBase64, options: .ignoreUnknownCharacters), !der.isEmpty else {
            throw TLSError.invalidCertificate("the provisioning certificate is not base64")
        }
        OpenSSLErrorQueue.clear()
        let p12: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor = raw.bindMemory(to: UInt8.self).baseAddress.map { UnsafePointer($0) }
            return d2i_PKCS12(nil, &cursor, raw.count)
        }
        guard let p12 else { throw TLSError.invalidCertificate(OpenSSLErrorQueue.drain(fallback: "not a PKCS#12 file")) }
        defer { PKCS12_free(p12) }
        var key: OpaquePointer?
        var leaf: OpaquePointer?
        var stack: OpaquePointer?
        guard PKCS12_parse(p12, password, &key, &leaf, &stack) == 1, let key, let leaf else {
            throw TLSError.invalidCertificate(OpenSSLErrorQueue.drain(fallback: "cannot open the PFX (wrong password?)"))
        }
        let privateKey = PrivateKey(owning: key)
        var pool = [X509Certificate(owning: leaf)]
        if let stack {
            for index in 0..<max(0, OPENSSL_sk_num(stack)) {
                if let cert = OPENSSL_sk_value(stack, index) { pool.append(X509Certificate(owning: OpaquePointer(cert))) }
            }
            OPENSSL_sk_free(stack)
        }
        var chain = [pool[0]]
        while chain.count <= maxChainLength {
            let current = chain[chain.count - 1]
            if X509_check_issued(current.pointer, current.pointer) == X509_V_OK { break }
            guard let issuer = pool.first(where: { candidate in
                candidate !== current && X509_check_issued(candidate.pointer, current.pointer) == X509_V_OK
            }) else {
                throw TLSError.invalidCertificate("the provisioning certificate chain does not reach a root (include the full chain in the PFX)")
            }
            chain.append(issuer)
        }
        guard chain.count <= maxChainLength else {
            throw TLSError.invalidCertificate("the provisioning certificate chain is longer than \(maxChainLength)")
        }
        var certificates: [[UInt8]] = []
        for certificate in chain { certificates.append(try certificate.der()) }
        return ProvisioningCertificate(certificatesDER: certificates, privateKeyPEM: try privateKey.pem())
    }

    /// RSA PKCS#1 v1.5 signature over SHA-256 of `data` with the leaf's key (`AdminSetup`'s
    /// `DigitalSignature` over firmware nonce ‖ McNonce).
    public func sign(_ data: [UInt8]) throws(TLSError) -> [UInt8] {
        let key = try PrivateKey.parse(pem: privateKeyPEM)
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else { throw TLSError.generationFailed("cannot create a signing context") }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key.pointer) == 1,
              EVP_DigestSign(context, nil, &length, data, data.count) == 1
        else { throw TLSError.generationFailed(OpenSSLErrorQueue.drain(fallback: "cannot sign the nonces")) }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, data, data.count) == 1 else {
            throw TLSError.generationFailed(OpenSSLErrorQueue.drain(fallback: "cannot sign the nonces"))
        }
        return Array(signature.prefix(length))
    }

    /// Whether `signature` is the leaf certificate's RSA PKCS#1 v1.5 SHA-256 signature of `data`
    /// (what AMT firmware checks in `AdminSetup`).
    public static func verify(signature: [UInt8], of data: [UInt8], certificateDER: [UInt8]) -> Bool {
        guard let certificate = try? X509Certificate.parse(der: certificateDER),
              let publicKey = X509_get0_pubkey(certificate.pointer),
              let context = EVP_MD_CTX_new()
        else { return false }
        defer {
            EVP_MD_CTX_free(context)
            OpenSSLErrorQueue.clear()
        }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, publicKey) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, data, data.count) == 1
    }

    /// Whether `child` (DER) was signed by `issuer` (DER).
    public static func isIssued(_ child: [UInt8], by issuer: [UInt8]) -> Bool {
        guard let child = try? X509Certificate.parse(der: child), let issuer = try? X509Certificate.parse(der: issuer) else { return false }
        return X509_check_issued(issuer.pointer, child.pointer) == X509_V_OK
            && X509_verify(child.pointer, X509_get0_pubkey(issuer.pointer)) == 1
    }

    /// SHA-256 of `der`, lower-case hex (a certificate hash as AMT lists them).
    public static func sha256Hex(_ der: [UInt8]) -> String { hexDigest(der, EVP_sha256()) }

    static func hexDigest(_ bytes: [UInt8], _ md: OpaquePointer?) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(bytes, bytes.count, &digest, &length, md, nil) == 1 else { return "" }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}
