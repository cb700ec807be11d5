/// Client-side HTTP Digest state for one device: credentials, the cached challenge and the
/// nonce count. After the first 401 (``accept(_:)``) every request can be authorised
/// pre-emptively with ``authorization(method:uri:)``; `nc` increments per request and
/// restarts at 1 when the server issues a new nonce (RFC 7616 §3.4).
///
/// A value type: keep one per device connection, mutated by its owner only.
public struct DigestCredentials: Sendable {
    /// The user name (`admin` for AMT).
    public let username: String
    /// The password.
    public let password: String
    /// The cached challenge, if one was received.
    public private(set) var challenge: DigestChallenge?
    /// The last nonce count used with the cached nonce (0 before the first request).
    public private(set) var nonceCount: UInt32 = 0
    private let makeCNonce: @Sendable () -> String
    /// HA1 for the last challenge realm (it depends only on the realm, the password being fixed).
    private var cachedHA1: (realm: String, ha1: String)?

    /// Creates credentials. `cnonce` produces client nonces (default: 16 random hex digits).
    public init(username: String, password: String, cnonce: @escaping @Sendable () -> String = DigestCredentials.randomCNonce) {
        self.username = username
        self.password = password
        self.makeCNonce = cnonce
    }

    /// 16 hex digits from OpenSSL's RNG.
    public static func randomCNonce() -> String {
        MD5.hexString(MD5.randomBytes(8))
    }

    /// Whether a challenge is cached (so requests can be authorised pre-emptively).
    public var hasChallenge: Bool { challenge != nil }

    /// Stores a challenge from a 401. A new nonce restarts the nonce count.
    public mutating func accept(_ challenge: DigestChallenge) {
        if self.challenge?.nonce != challenge.nonce { nonceCount = 0 }
        self.challenge = challenge
    }

    /// Forgets the cached challenge (e.g. after a reconnect).
    public mutating func reset() {
        challenge = nil
        nonceCount = 0
    }

    /// The `Authorization` header value for the next request, or `nil` without a challenge.
    public mutating func authorization(method: String = "POST", uri: String = "/wsman") -> String? {
        guard let challenge else { return nil }
        var auth = DigestAuthorization(
            username: username, realm: challenge.realm, nonce: challenge.nonce, uri: uri,
            response: "", opaque: challenge.opaque)
        if let qop = challenge.qop {
            nonceCount &+= 1
            if nonceCount == 0 { nonceCount = 1 }
            auth.qop = qop
            auth.nonceCount = Self.formatNonceCount(nonceCount)
            auth.cnonce = makeCNonce()
        }
        auth.response = DigestAuthorization.computeResponse(
            ha1: ha1(realm: challenge.realm), method: method, uri: uri, nonce: challenge.nonce,
            nonceCount: auth.nonceCount, cnonce: auth.cnonce, qop: auth.qop)
        return auth.headerValue
    }

    /// HA1 for `realm`, computed once per realm.
    private mutating func ha1(realm: String) -> String {
        if let cachedHA1, cachedHA1.realm == realm { return cachedHA1.ha1 }
        let ha1 = DigestAuthorization.ha1(username: username, realm: realm, password: password)
        cachedHA1 = (realm, ha1)
        return ha1
    }

    /// `nc` formatting: 8 lower-case hex digits.
    public static func formatNonceCount(_ count: UInt32) -> String {
        let hex = String(count, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}
