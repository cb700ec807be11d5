import COpenSSL

/// Owns one OpenSSL `EVP_PKEY*` (freed on deinit). Internal; confined to one thread at a time.
final class PrivateKey {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates an RSA key of `bits` bits.
    static func generateRSA(bits: Int32) throws(TLSError) -> PrivateKey {
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else {
            throw TLSError.generationFailed(OpenSSLErrorQueue.drain(fallback: "cannot create an RSA key context"))
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1,
              EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1,
              EVP_PKEY_keygen(ctx, &key) == 1,
              let key
        else {
            throw TLSError.generationFailed(OpenSSLErrorQueue.drain(fallback: "RSA key generation failed"))
        }
        return PrivateKey(owning: key)
    }

    /// Parses the first private key in `pem` (unencrypted).
    static func parse(pem: String) throws(TLSError) -> PrivateKey {
        try MemoryBIO.withReadOnly(pem) { (bio) throws(TLSError) -> PrivateKey in
            OpenSSLErrorQueue.clear()
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
                throw TLSError.invalidCertificate(
                    "private key: " + OpenSSLErrorQueue.drain(fallback: "no PEM private key found"))
            }
            return PrivateKey(owning: key)
        }
    }

    /// PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    func pem() throws(TLSError) -> String {
        try MemoryBIO.collectString(
            { PEM_write_bio_PrivateKey($0, pointer, nil, nil, 0, nil, nil) },
            what: "PEM encoding of a private key")
    }
}
