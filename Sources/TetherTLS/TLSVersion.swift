import COpenSSL

/// A TLS protocol version, ordered from oldest to newest.
public enum TLSVersion: Sendable, Hashable, Comparable, CaseIterable {
    case tls1_0
    case tls1_1
    case tls1_2
    case tls1_3

    /// OpenSSL's spelling, as printed by `SSL_get_version` and `openssl s_client`.
    public var name: String {
        switch self {
        case .tls1_0: return "TLSv1"
        case .tls1_1: return "TLSv1.1"
        case .tls1_2: return "TLSv1.2"
        case .tls1_3: return "TLSv1.3"
        }
    }

    var openSSLValue: Int32 {
        switch self {
        case .tls1_0: return TLS1_VERSION
        case .tls1_1: return TLS1_1_VERSION
        case .tls1_2: return TLS1_2_VERSION
        case .tls1_3: return TLS1_3_VERSION
        }
    }

    init?(openSSLValue: Int32) {
        guard let match = TLSVersion.allCases.first(where: { $0.openSSLValue == openSSLValue }) else {
            return nil
        }
        self = match
    }
}
