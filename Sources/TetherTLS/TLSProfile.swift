/// A named set of protocol versions and cipher suites.
///
/// * ``legacy``: what AMT firmware across generations needs on the CIRA port: TLS 1.0–1.3,
///   every OpenSSL suite including RSA key exchange with CBC-SHA256 (`AES128-SHA256`) and
///   DHE suites (`dh_auto` is always on), at security level 0 because TLS 1.0/1.1 need SHA-1
///   handshake signatures. Anonymous (`aNULL`) and null-encryption (`eNULL`) suites are
///   excluded: they would allow an unauthenticated or plaintext session and no AMT offers them.
/// * ``modern``: TLS 1.2 and newer, forward-secret AEAD suites only (ECDHE with AES-GCM or
///   ChaCha20-Poly1305; TLS 1.3 suites all qualify) — for HTTPS front ends.
public enum TLSProfile: Sendable, Hashable {
    case legacy
    case modern

    /// The OpenSSL cipher string for the legacy profile.
    public static let legacyCipherList = "ALL:!aNULL:!eNULL:@SECLEVEL=0"
    /// The OpenSSL cipher string (TLS 1.2) for the modern profile: ECDHE key exchange, AEAD.
    public static let modernCipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL"

    /// Lowest protocol version the profile accepts.
    public var minimumVersion: TLSVersion {
        switch self {
        case .legacy: return .tls1_0
        case .modern: return .tls1_2
        }
    }

    /// OpenSSL cipher list for TLS ≤ 1.2.
    public var cipherList: String? {
        switch self {
        case .legacy: return TLSProfile.legacyCipherList
        case .modern: return TLSProfile.modernCipherList
        }
    }
}
