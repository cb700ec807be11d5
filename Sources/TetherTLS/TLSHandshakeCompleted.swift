/// User inbound event fired by ``OpenSSLHandler`` once the handshake succeeds, before any
/// application data is delivered.
public struct TLSHandshakeCompleted: Sendable, Equatable {
    /// OpenSSL's protocol name, e.g. `TLSv1`, `TLSv1.2`, `TLSv1.3`.
    public let protocolVersion: String
    /// The negotiated protocol as a value, when it is one Tether knows.
    public var version: TLSVersion? {
        TLSVersion.allCases.first { $0.name == protocolVersion }
    }
    /// OpenSSL's cipher name, e.g. `AES128-SHA256`, `TLS_AES_256_GCM_SHA384`.
    public let cipher: String
    /// CN of the peer's certificate, if it presented one.
    public let peerCertificateCN: String?

    public init(protocolVersion: String, cipher: String, peerCertificateCN: String?) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.peerCertificateCN = peerCertificateCN
    }
}
