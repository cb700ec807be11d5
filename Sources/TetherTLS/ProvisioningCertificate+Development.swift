import COpenSSL
import Foundation

extension ProvisioningCertificate {
    /// A development provisioning certificate (what Open AMT's docs make by hand for a custom
    /// provisioning root): a new self-signed root and a leaf it issues for `prov.<domainSuffix>`
    /// with AMT's activation EKU (2.16.840.1.113741.1.2.3), exported as a PFX protected by
    /// `password` with the full chain. AMT accepts it only after the root's SHA-256 (returned)
    /// was added to its trusted hashes (MEBx/USB). Takes a second or so (two RSA keys).
    public static func makeDevelopment(
        domainSuffix: String, password: String, validityDays: Int = 365
    ) throws(TLSError) -> (pfxBase64: String, rootSHA256: String) {
        let rootKey = try PrivateKey.generateRSA(bits: 2048)
        let root = try CertificateBuilder(
            subject: [("O", "Tether"), ("CN", "Tether Development Provisioning Root")], publicKey: rootKey,
            validityDays: validityDays * 2,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE"), (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
            ]
        ).sign(issuer: nil, issuerKey: rootKey)
        let leafKey = try PrivateKey.generateRSA(bits: 2048)
        let leaf = try CertificateBuilder(
            subject: [("O", "Tether"), ("CN", "prov.\(domainSuffix)")], publicKey: leafKey, validityDays: validityDays,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
                (NID_ext_key_usage, "serverAuth,2.16.840.1.113741.1.2.3"), (NID_subject_key_identifier, "hash"),
            ]
        ).sign(issuer: root, issuerKey: rootKey)
        OpenSSLErrorQueue.clear()
        guard let chain = OPENSSL_sk_new_null() else { throw TLSError.generationFailed("cannot allocate a certificate stack") }
        defer { OPENSSL_sk_free(chain) }
        guard OPENSSL_sk_push(chain, UnsafeRawPointer(root.pointer)) > 0,
              let p12 = PKCS12_create(
                password, "Tether development provisioning", leafKey.pointer, leaf.pointer, chain,
                NID_aes_256_cbc, NID_aes_256_cbc, 2048, 1, 0)
        else { throw TLSError.generationFailed(OpenSSLErrorQueue.drain(fallback: "cannot build the PFX")) }
        defer { PKCS12_free(p12) }
        let der = try MemoryBIO.collectBytes({ i2d_PKCS12_bio($0, p12) }, what: "PFX encoding")
        return (Data(der).base64EncodedString(), sha256Hex(try root.der()))
    }
}
