/// The digest form of an AMT admin password that setup calls carry instead of the password:
/// `MD5("admin:<realm>:<password>")` (HTTP Digest's HA1). `Setup`/`AdminSetup` send it as 32
/// lower-case hex digits, `SetAdminACLEntryEx` as the raw 16 bytes.
public enum AMTPasswordDigest {
    /// Lower-case hex HA1.
    public static func hex(username: String, realm: String, password: String) -> String {
        DigestAuthorization.ha1(username: username, realm: realm, password: password)
    }

    /// The 16 raw bytes of HA1.
    public static func bytes(username: String, realm: String, password: String) -> [UInt8] {
        let hex = Array(hex(username: username, realm: realm, password: password).utf8)
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c - 48 }
        return stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }
}
