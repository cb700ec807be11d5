import Foundation

/// Outcome of ``DigestVerifier/verify(authorization:method:uri:password:now:)``.
public enum DigestVerification: Sendable, Equatable {
    /// The request is authenticated as this user.
    case authenticated(username: String)
    /// Credentials were right but the nonce is expired or unknown: answer 401 with
    /// `stale="true"` (``DigestVerifier/challenge(stale:now:)``) so the client retries.
    case stale
    /// The request is not authenticated; answer 401 with a fresh challenge.
    case rejected(DigestRejection)
}

/// Why a Digest authorization was rejected.
public enum DigestRejection: Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization` header.
    case missing
    /// The header could not be parsed.
    case malformed(DigestError)
    /// The realm differs from ours.
    case wrongRealm
    /// The `uri` parameter does not match the request target.
    case uriMismatch
    /// qop other than `auth`, or none (RFC 2069 mode is refused).
    case unsupportedQop
    /// `opaque` does not match the one issued with the nonce.
    case opaqueMismatch
    /// Unknown user or wrong password.
    case badCredentials
    /// `nc` was already used with this nonce, or is too far below the highest one seen
    /// (outside the replay window).
    case replayedNonceCount

    public var description: String {
        switch self {
        case .missing: return "no Authorization header"
        case .malformed(let error): return error.description
        case .wrongRealm: return "wrong Digest realm"
        case .uriMismatch: return "Digest uri does not match the request"
        case .unsupportedQop: return "Digest qop must be auth"
        case .opaqueMismatch: return "Digest opaque mismatch"
        case .badCredentials: return "invalid user name or password"
        case .replayedNonceCount: return "Digest nonce count replayed"
        }
    }
}

/// Server-side HTTP Digest (MD5, qop=auth) for the device simulator: issues challenges with
/// an AMT-style realm, rotates and expires nonces, verifies responses in constant time and
/// reports stale nonces. A value type; the owner serialises access.
///
/// Nonce counts are checked like AMT does: a client's `nc` need not start at 1 for a new nonce
/// (Open AMT's MPS keeps one counter per connection) and requests sent concurrently over several
/// channels may arrive out of order, so any `nc` not yet used with the nonce is accepted as long
/// as it lies within ``replayWindow`` of the highest one seen (RFC 7616 §3.3 leaves the check
/// to the server). Only a repeated `nc`, or one older than the window, is a replay.
public struct DigestVerifier: Sendable {
    private struct NonceState: Sendable {
        var issued: Date
        /// The highest `nc` accepted with this nonce (0 = none yet).
        var highest: UInt32 = 0
        /// Bit `i` set: `highest - i` was accepted (bit 0 is `highest` itself).
        var seen: UInt64 = 0

        /// Records `count`; false when it is a replay or older than the window.
        mutating func accept(_ count: UInt32, window: UInt32) -> Bool {
            guard count > 0 else { return false }
            if count > highest {
                let shift = count - highest
                seen = highest == 0 || shift >= 64 ? 1 : (seen << UInt64(shift)) | 1
                highest = count
                return true
            }
            let age = highest - count
            guard age < window else { return false }
            let bit = UInt64(1) << UInt64(age)
            guard seen & bit == 0 else { return false }
            seen |= bit
            return true
        }
    }

    /// How far below the highest `nc` seen with a nonce a not-yet-used `nc` is still accepted
    /// (1…64; 1 = strictly increasing).
    public var replayWindow: UInt32 = 64

    /// The realm (`Digest:` + 32 upper-case hex by default).
    public let realm: String
    /// The opaque value sent with every challenge.
    public let opaque: String
    /// How long a nonce stays valid.
    public var nonceLifetime: TimeInterval
    /// At most this many nonces are remembered; the oldest are dropped first.
    public var maxNonces: Int
    private var nonces: [String: NonceState] = [:]
    private var order: [String] = []

    /// Creates a verifier.
    public init(realm: String = DigestVerifier.makeRealm(), nonceLifetime: TimeInterval = 300, maxNonces: Int = 1024) {
        self.realm = realm
        self.opaque = MD5.hexString(MD5.randomBytes(16))
        self.nonceLifetime = nonceLifetime
        self.maxNonces = max(1, maxNonces)
    }

    /// A fresh AMT-style realm: `Digest:` followed by 32 upper-case hex digits.
    public static func makeRealm() -> String {
        "Digest:" + MD5.hexString(MD5.randomBytes(16), uppercase: true)
    }

    /// Issues a new nonce and returns the challenge to send in `WWW-Authenticate`.
    public mutating func challenge(stale: Bool = false, now: Date = Date()) -> DigestChallenge {
        purge(now: now)
        let nonce = Data(MD5.randomBytes(18)).base64EncodedString()
        nonces[nonce] = NonceState(issued: now)
        order.append(nonce)
        while order.count > maxNonces {
            nonces[order.removeFirst()] = nil
        }
        return DigestChallenge(realm: realm, nonce: nonce, qop: "auth", opaque: opaque, stale: stale)
    }

    /// Number of nonces currently remembered.
    public var activeNonceCount: Int { nonces.count }

    /// Verifies an `Authorization` header value (`nil` when absent).
    /// - Parameters:
    ///   - password: looks up the password of a user name (`nil` = unknown user).
    public mutating func verify(
        authorization headerValue: String?, method: String, uri: String,
        password: (String) -> String?, now: Date = Date()
    ) -> DigestVerification {
        verify(authorization: headerValue, method: method, uri: uri, now: now) { auth in
            password(auth.username).map { auth.expectedResponse(password: $0, method: method) }
        }
    }

    /// Like ``verify(authorization:method:uri:password:now:)`` for a server that keeps only
    /// each user's HA1 (`MD5(user:realm:password)`, lower-case hex), as AMT firmware does after
    /// `Setup` hands it the digest of the new admin password.
    public mutating func verify(
        authorization headerValue: String?, method: String, uri: String,
        passwordDigest: (String) -> String?, now: Date = Date()
    ) -> DigestVerification {
        verify(authorization: headerValue, method: method, uri: uri, now: now) { auth in
            passwordDigest(auth.username).map {
                DigestAuthorization.computeResponse(
                    ha1: $0, method: method, uri: auth.uri, nonce: auth.nonce, nonceCount: auth.nonceCount,
                    cnonce: auth.cnonce, qop: auth.qop)
            }
        }
    }

    private mutating func verify(
        authorization headerValue: String?, method: String, uri: String, now: Date,
        expectedResponse: (DigestAuthorization) -> String?
    ) -> DigestVerification {
        guard let headerValue else { return .rejected(.missing) }
        let auth: DigestAuthorization
        do {
            auth = try DigestAuthorization(headerValue: headerValue)
        } catch let error as DigestError {
            return .rejected(.malformed(error))
        } catch {
            return .rejected(.malformed(.malformed("\(error)")))
        }
        guard auth.realm == realm else { return .rejected(.wrongRealm) }
        guard auth.uri == uri else { return .rejected(.uriMismatch) }
        guard auth.qop == "auth" else { return .rejected(.unsupportedQop) }
        if let sent = auth.opaque, sent != opaque { return .rejected(.opaqueMismatch) }
        guard let count = auth.nonceCount.flatMap({ $0.count == 8 ? UInt32($0, radix: 16) : nil }) else {
            return .rejected(.malformed(.malformed("nc must be 8 hex digits")))
        }
        // Compute even for unknown users so timing does not reveal which names exist.
        let secret = expectedResponse(auth)
        let expected = secret ?? auth.expectedResponse(password: "\u{0}unknown-user", method: method)
        let matches = Self.constantTimeEqual(expected, auth.response.lowercased())
        guard matches, secret != nil else { return .rejected(.badCredentials) }

        purge(now: now)
        guard var state = nonces[auth.nonce] else { return .stale }
        guard state.accept(count, window: min(64, max(1, replayWindow))) else { return .rejected(.replayedNonceCount) }
        nonces[auth.nonce] = state
        return .authenticated(username: auth.username)
    }

    private mutating func purge(now: Date) {
        let expired = nonces.filter { now.timeIntervalSince($0.value.issued) > nonceLifetime }.map(\.key)
        guard !expired.isEmpty else { return }
        for nonce in expired { nonces[nonce] = nil }
        order.removeAll { nonces[$0] == nil }
    }

    /// Compares two strings' UTF-8 bytes without an early exit.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : 0
            let r = i < y.count ? y[i] : 0
            diff |= l ^ r
        }
        return diff == 0
    }
}
