import COpenSSL

/// Owns one OpenSSL `X509*` (freed on deinit). Internal; not shared across threads while mutated.
final class X509Certificate {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Shares `pointer` with its current owner by taking an extra reference.
    init(borrowing pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses every `CERTIFICATE` block in `pem`, in order. Throws if there is none.
    static func parseAll(pem: String) throws(TLSError) -> [X509Certificate] {
        try MemoryBIO.withReadOnly(pem) { (bio) throws(TLSError) -> [X509Certificate] in
            var result: [X509Certificate] = []
            OpenSSLErrorQueue.clear()
            while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                result.append(X509Certificate(owning: x509))
            }
            // Reading past the last block leaves a "no start line" error: expected, discard it.
            let trailing = OpenSSLErrorQueue.drain(fallback: "no PEM certificate found")
            guard !result.isEmpty else {
                throw TLSError.invalidCertificate(trailing)
            }
            return result
        }
    }

    /// Parses exactly one certificate (the first block) from `pem`.
    static func parse(pem: String) throws(TLSError) -> X509Certificate {
        try parseAll(pem: pem)[0]
    }

    /// Parses DER bytes.
    static func parse(der: [UInt8]) throws(TLSError) -> X509Certificate {
        OpenSSLErrorQueue.clear()
        let x509: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let x509 else {
            throw TLSError.invalidCertificate(OpenSSLErrorQueue.drain(fallback: "not a DER certificate"))
        }
        return X509Certificate(owning: x509)
    }

    /// PEM text (`-----BEGIN CERTIFICATE-----`).
    func pem() throws(TLSError) -> String {
        try MemoryBIO.collectString({ PEM_write_bio_X509($0, pointer) }, what: "PEM encoding of a certificate")
    }

    /// DER encoding.
    func der() throws(TLSError) -> [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else {
            throw TLSError.invalidCertificate("cannot DER-encode the certificate")
        }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(pointer, &cursor)
        }
        guard written == length else {
            throw TLSError.invalidCertificate("DER encoding returned \(written) of \(length) bytes")
        }
        return bytes
    }
}
