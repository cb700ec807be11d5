import COpenSSL

/// MD5 through OpenSSL's EVP interface (needed only for HTTP Digest, RFC 2617/7616).
enum MD5 {
    /// The MD5 implementation, fetched from the default provider once: `EVP_md5()` makes
    /// OpenSSL 3 look the implementation up again on every digest.
    // An `EVP_MD` from `EVP_MD_fetch` is immutable and may be used from any thread (OpenSSL 3
    // threading rules); it is never freed, so sharing the pointer is safe.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "MD5", nil) ?? EVP_md5()

    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The lower-case hex MD5 of the UTF-8 bytes of `string`.
    static func hex(_ string: String) -> String {
        var string = string
        return string.withUTF8 { hex(UnsafeRawBufferPointer($0)) }
    }

    /// The lower-case hex MD5 of `bytes`.
    static func hex(bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    /// The lower-case hex MD5 of `parts` joined with `:` (the shape of every Digest hash input),
    /// hashed from one buffer without building the joined string.
    static func hex(colonJoined parts: [String]) -> String {
        var input: [UInt8] = []
        input.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
        for (index, part) in parts.enumerated() {
            if index > 0 { input.append(UInt8(ascii: ":")) }
            input.append(contentsOf: part.utf8)
        }
        return hex(bytes: input)
    }

    /// The lower-case hex MD5 of `input`.
    static func hex(_ input: UnsafeRawBufferPointer) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digest in
            var length: UInt32 = 0
            let ok = EVP_Digest(input.baseAddress, input.count, digest.baseAddress, &length, algorithm, nil)
            // EVP_Digest with the built-in MD5 cannot fail short of memory exhaustion; treat that as fatal.
            precondition(ok == 1 && length == 16, "OpenSSL EVP_Digest(MD5) failed")
            return String(unsafeUninitializedCapacity: 32) { out in
                for (index, byte) in digest.enumerated() {
                    out[2 * index] = lowerDigits[Int(byte >> 4)]
                    out[2 * index + 1] = lowerDigits[Int(byte & 0x0F)]
                }
                return 32
            }
        }
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

    /// Cryptographically random bytes from OpenSSL (``RandomBytePool``).
    static func randomBytes(_ count: Int) -> [UInt8] {
        RandomBytePool.bytes(count)
    }
}
