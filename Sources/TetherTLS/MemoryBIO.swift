import COpenSSL

/// Small helpers for moving bytes in and out of OpenSSL memory BIOs. Single-threaded use only.
enum MemoryBIO {
    /// Runs `body` with a read-only BIO over the UTF-8 bytes of `text`.
    static func withReadOnly<T>(_ text: String, _ body: (OpaquePointer) throws(TLSError) -> T) throws(TLSError) -> T {
        var bytes = Array(text.utf8)
        bytes.append(0)
        let bio: OpaquePointer? = bytes.withUnsafeBufferPointer { ptr in
            // Length excludes the NUL terminator; the array outlives the BIO (freed below).
            BIO_new_mem_buf(ptr.baseAddress, Int32(ptr.count - 1))
        }
        guard let bio else { throw TLSError.invalidCertificate("cannot allocate a memory BIO") }
        defer { BIO_free(bio) }
        return try withExtendedLifetime(bytes) { () throws(TLSError) -> T in try body(bio) }
    }

    /// Runs `body` with a fresh writable memory BIO and returns everything written to it as text.
    static func collectString(_ body: (OpaquePointer) -> Int32, what: String) throws(TLSError) -> String {
        let bytes = try collectBytes(body, what: what)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs `body` with a fresh writable memory BIO and returns everything written to it.
    /// `body` returns OpenSSL's status (1 = success).
    static func collectBytes(_ body: (OpaquePointer) -> Int32, what: String) throws(TLSError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw TLSError.generationFailed("cannot allocate a memory BIO")
        }
        defer { BIO_free(bio) }
        OpenSSLErrorQueue.clear()
        guard body(bio) == 1 else {
            throw TLSError.generationFailed("\(what): \(OpenSSLErrorQueue.drain(fallback: "unknown OpenSSL error"))")
        }
        return readAll(bio)
    }

    /// Reads every pending byte out of `bio`.
    static func readAll(_ bio: OpaquePointer) -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let got = bytes.withUnsafeMutableBytes { ptr in
            BIO_read(bio, ptr.baseAddress, Int32(ptr.count))
        }
        return Array(bytes.prefix(max(0, Int(got))))
    }
}
