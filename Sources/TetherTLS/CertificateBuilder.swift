import COpenSSL

/// Builds and signs one X.509 v3 certificate. Internal, single-use, confined to one thread.
struct CertificateBuilder {
    var subject: [(field: String, value: String)]
    var publicKey: PrivateKey
    var validityDays: Int
    /// Extensions as (NID, OpenSSL config value), added in order (subjectKeyIdentifier must
    /// come before authorityKeyIdentifier on a self-signed certificate).
    var extensions: [(nid: Int32, value: String)]

    /// Signs with `issuerKey`; `issuer` nil means self-signed.
    func sign(issuer: X509Certificate?, issuerKey: PrivateKey) throws(TLSError) -> X509Certificate {
        guard let x509 = X509_new() else {
            throw TLSError.generationFailed("cannot allocate a certificate")
        }
        let certificate = X509Certificate(owning: x509)
        OpenSSLErrorQueue.clear()
        guard X509_set_version(x509, 2) == 1 else {
            throw failure("set version")
        }
        try setRandomSerial(x509)
        // Backdate one hour for clock skew between the host and devices.
        guard X509_gmtime_adj(X509_getm_notBefore(x509), -3600) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(clamping: validityDays), 0, nil) != nil
        else {
            throw failure("set validity")
        }
        guard let name = X509_NAME_new() else { throw failure("allocate name") }
        defer { X509_NAME_free(name) }
        for (field, value) in subject {
            guard X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, value, -1, -1, 0) == 1 else {
                throw failure("subject field \(field)='\(value)'")
            }
        }
        guard X509_set_subject_name(x509, name) == 1,
              X509_set_issuer_name(x509, issuer.map { X509_get_subject_name($0.pointer) } ?? name) == 1,
              X509_set_pubkey(x509, publicKey.pointer) == 1
        else {
            throw failure("set names or public key")
        }
        var v3 = X509V3_CTX()
        X509V3_set_ctx(&v3, issuer?.pointer ?? x509, x509, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else {
                throw failure("extension \(String(cString: OBJ_nid2sn(nid))) '\(value)'")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else {
                throw failure("add extension \(String(cString: OBJ_nid2sn(nid)))")
            }
        }
        guard X509_sign(x509, issuerKey.pointer, EVP_sha256()) > 0 else {
            throw failure("sign")
        }
        return certificate
    }

    private func setRandomSerial(_ x509: OpaquePointer) throws(TLSError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw failure("random serial") }
        bytes[0] &= 0x7f  // positive
        bytes[0] |= 0x01  // non-zero, fixed length
        guard let bignum = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw failure("serial number") }
        defer { BN_free(bignum) }
        guard BN_to_ASN1_INTEGER(bignum, X509_get_serialNumber(x509)) != nil else {
            throw failure("serial number")
        }
    }

    private func failure(_ step: String) -> TLSError {
        TLSError.generationFailed("\(step): " + OpenSSLErrorQueue.drain(fallback: "OpenSSL refused"))
    }
}
