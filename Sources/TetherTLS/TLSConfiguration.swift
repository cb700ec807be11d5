#if canImport(Glibc)
import Glibc
#endif

/// How a ``TLSContext`` is built: the role (server identity or client verification), the
/// protocol version range and cipher strings. Start from a ``TLSProfile`` with
/// ``server(profile:certificateChainPEM:privateKeyPEM:requestClientCertificate:)`` or
/// ``client(profile:verification:)`` and override fields as needed (for instance to mimic old
/// AMT firmware from a simulator). A plain value: build it anywhere, share it freely.
public struct TLSConfiguration: Sendable {
    /// Server identity: the certificate chain (leaf first) and its private key, as PEM text.
    public struct ServerIdentity: Sendable {
        /// Leaf certificate first, then any intermediates (and optionally the root).
        public var certificateChainPEM: String
        /// The leaf's private key (PKCS#8 or traditional PEM, unencrypted).
        public var privateKeyPEM: String
        /// Ask the client for a certificate without requiring or validating one. AMT may
        /// present one; it is accepted and its CN reported in ``TLSHandshakeCompleted``.
        public var requestClientCertificate: Bool

        public init(certificateChainPEM: String, privateKeyPEM: String, requestClientCertificate: Bool = false) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.requestClientCertificate = requestClientCertificate
        }
    }

    /// How a client checks the server's certificate.
    public enum PeerVerification: Sendable {
        /// Accept any certificate (tests, diagnostics).
        case insecure
        /// The chain must lead to one of these roots (one or more PEM certificates). The
        /// expected name is given per connection to ``OpenSSLHandler``.
        case verify(trustRootsPEM: String)
    }

    /// Which side of the handshake this configuration is for.
    public enum Role: Sendable {
        case server(ServerIdentity)
        case client(PeerVerification)
    }

    public var role: Role
    /// Lowest accepted protocol version.
    public var minimumVersion: TLSVersion
    /// Highest accepted protocol version; `nil` means the newest OpenSSL supports.
    public var maximumVersion: TLSVersion?
    /// OpenSSL cipher list for TLS ≤ 1.2 (`SSL_CTX_set_cipher_list`); `nil` = OpenSSL default.
    public var cipherList: String?
    /// TLS 1.3 cipher suites (`SSL_CTX_set_ciphersuites`); `nil` = OpenSSL default.
    public var tls13CipherSuites: String?
    /// Free OpenSSL's `SSL` object once a TLS 1.2 AES-GCM handshake is over and protect the
    /// records with ``CompactRecordLayer`` (≈ 150 bytes instead of ≈ 12 KiB per connection).
    /// Other versions and suites always stay on OpenSSL. Default: on for servers, unless the
    /// environment sets `TETHER_TLS_RECORD_LAYER=openssl` (for comparisons); off for clients.
    public var compactRecordLayer: Bool

    public init(role: Role, profile: TLSProfile) {
        self.role = role
        self.minimumVersion = profile.minimumVersion
        self.maximumVersion = nil
        self.cipherList = profile.cipherList
        self.tls13CipherSuites = nil
        if case .server = role {
            self.compactRecordLayer = TLSConfiguration.compactRecordLayerAllowed
        } else {
            self.compactRecordLayer = false
        }
    }

    /// `TETHER_TLS_RECORD_LAYER=openssl` keeps every session on OpenSSL's record layer.
    static let compactRecordLayerAllowed: Bool = {
        guard let value = getenv("TETHER_TLS_RECORD_LAYER") else { return true }
        return String(cString: value).lowercased() != "openssl"
    }()

    /// A server configuration for `profile` presenting the given chain and key.
    public static func server(
        profile: TLSProfile,
        certificateChainPEM: String,
        privateKeyPEM: String,
        requestClientCertificate: Bool = false
    ) -> TLSConfiguration {
        TLSConfiguration(
            role: .server(ServerIdentity(
                certificateChainPEM: certificateChainPEM,
                privateKeyPEM: privateKeyPEM,
                requestClientCertificate: requestClientCertificate)),
            profile: profile)
    }

    /// A client configuration for `profile` with the given server verification.
    public static func client(profile: TLSProfile, verification: PeerVerification) -> TLSConfiguration {
        TLSConfiguration(role: .client(verification), profile: profile)
    }

    /// `true` for a server configuration.
    public var isServer: Bool {
        if case .server = role { return true }
        return false
    }
}
