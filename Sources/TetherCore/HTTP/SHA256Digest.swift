import COpenSSL

/// SHA-256, HMAC-SHA256 and PBKDF2-HMAC-SHA256 over OpenSSL's EVP API (the host's tokens and
/// the admin password hash). Pure functions, thread-safe.
enum SHA256Digest {
    static let blockSize = 64

    /// The SHA-256 digest of `bytes`.
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "OpenSSL EVP_Digest(SHA-256) failed")
        return digest
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? hash(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = hash(block.map { $0 ^ 0x36 } + message)
        return hash(block.map { $0 ^ 0x5c } + inner)
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018) with a 32-byte output.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        let ok = password.withUnsafeBytes { pass in
            salt.withUnsafeBufferPointer { saltBuffer in
                PKCS5_PBKDF2_HMAC(
                    pass.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(pass.count), saltBuffer.baseAddress,
                    Int32(saltBuffer.count), Int32(iterations), EVP_sha256(), 32, &output)
            }
        }
        precondition(ok == 1, "OpenSSL PKCS5_PBKDF2_HMAC failed")
        return output
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) throws(ConfigurationError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw ConfigurationError("OpenSSL RAND_bytes failed") }
        return bytes
    }
}
