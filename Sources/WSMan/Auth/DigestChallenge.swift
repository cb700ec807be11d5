/// A `WWW-Authenticate: Digest …` challenge (RFC 2617/7616, MD5).
public struct DigestChallenge: Sendable, Equatable {
    /// The realm; AMT uses `Digest:` + 32 upper-case hex digits.
    public var realm: String
    /// The server nonce.
    public var nonce: String
    /// `auth` when the server offered any qop (AMT always does), else `nil` (RFC 2069 mode).
    public var qop: String?
    /// Opaque value to echo back, if any.
    public var opaque: String?
    /// Whether the server says the previous nonce merely expired (credentials were right).
    public var stale: Bool
    /// The algorithm parameter as sent (`MD5` or absent).
    public var algorithm: String?

    /// Creates a challenge.
    public init(realm: String, nonce: String, qop: String? = "auth", opaque: String? = nil, stale: Bool = false, algorithm: String? = nil) {
        self.realm = realm
        self.nonce = nonce
        self.qop = qop
        self.opaque = opaque
        self.stale = stale
        self.algorithm = algorithm
    }

    /// Parses a `WWW-Authenticate` value. Tolerates spaces and empty/trailing commas; any
    /// `qop` offer (even `"auth-int, auth"` or `""`) is treated as `auth`, as AMT clients do.
    /// - Throws: ``DigestError``.
    public init(headerValue: String) throws {
        let params = try DigestParameters.parse(header: headerValue)
        func value(_ name: String) -> String? { params.first { $0.name == name }?.value }
        guard let realm = value("realm") else { throw DigestError.missingParameter("realm") }
        guard let nonce = value("nonce"), !nonce.isEmpty else { throw DigestError.missingParameter("nonce") }
        if let algorithm = value("algorithm"), algorithm.uppercased() != "MD5" {
            throw DigestError.unsupportedAlgorithm(algorithm)
        }
        self.realm = realm
        self.nonce = nonce
        self.qop = value("qop") == nil ? nil : "auth"
        self.opaque = value("opaque")
        self.stale = value("stale")?.lowercased() == "true"
        self.algorithm = value("algorithm")
    }

    /// The Digest challenge among a response's `WWW-Authenticate` headers, if any.
    public static func find(in headers: HTTPHeaders) throws -> DigestChallenge? {
        for value in headers.values(for: "WWW-Authenticate") {
            let trimmed = value.trimmingOWS()
            if trimmed.lowercased().hasPrefix("digest") {
                return try DigestChallenge(headerValue: trimmed)
            }
        }
        return nil
    }

    /// The header value a server sends, AMT style:
    /// `Digest realm="…", nonce="…",stale="false",qop="auth"` (+ `,opaque="…"`).
    public var headerValue: String {
        var out = "Digest realm=\(DigestParameters.quote(realm)), nonce=\(DigestParameters.quote(nonce))"
        out += ",stale=\"\(stale ? "true" : "false")\""
        if let qop { out += ",qop=\(DigestParameters.quote(qop))" }
        if let opaque { out += ",opaque=\(DigestParameters.quote(opaque))" }
        if let algorithm { out += ",algorithm=\(algorithm)" }
        return out
    }
}
