import COpenSSL

/// MD5 through OpenSSL's EVP interface (needed only for HTTP Digest, RFC 2617/7616).
enum MD5 {
    /// The lower-case hex MD5 of the UTF-8 bytes of `string`.
    static func hex(_ string: String) -> String {
        hex(bytes: Array(string.utf8))
    }

    /// The lower-case hex MD5 of `bytes`.
    static func hex(bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, EVP_md5(), nil)
            }
        }
        // EVP_Digest with the built-in MD5 cannot fail short of memory exhaustion; treat that as fatal.
        precondition(ok == 1 && length == 16, "OpenSSL EVP_Digest(MD5) failed")
        return hexString(digest)
    }

    static func hexString(_ bytes: [UInt8], uppercase: Bool = false) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Cryptographically random bytes from OpenSSL.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "OpenSSL RAND_bytes failed")
        return bytes
    }
}
