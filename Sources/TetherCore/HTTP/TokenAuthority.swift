import Foundation
import PluginHost
import Synchronization
import TetherJSON

/// Issues, verifies and revokes the REST API's bearer tokens. A token carries `gen` (the admin
/// credential generation: a keyed hash of the account, so changing the password invalidates
/// every token issued before) and a random `jti` (so one token can be revoked). Revocations and
/// the "revoke all before" time are kept in `http-token-revocations.json` (mode 0600) and so
/// survive restarts. Verification failures all read "invalid token" (say less). Thread-safe.
///
/// Verified tokens are cached (``maxCached``, keyed by the exact token text) so that a request
/// with a known token costs a lookup instead of an HMAC and two parses. A cache hit is still
/// checked against the expiry and the revocation state (in the same lock), so revoking a token
/// or all tokens takes effect on the next request; the signing key and the credential generation
/// are fixed for the life of the process (changing either means a restart, which empties the
/// cache). Invalid tokens are never cached: they cost one signature check, as before.
final class TokenAuthority: Sendable {
    static let revocationsFileName = "http-token-revocations.json"
    /// Most revoked-but-unexpired tokens remembered; past that the oldest-expiring are
    /// dropped and every token issued before them is revoked wholesale (`notBefore`).
    static let maxRevoked = 10_000
    /// Most verified tokens cached; past that an arbitrary one is dropped for each new one.
    static let maxCached = 1_024

    let signer: WebTokenSigner
    let generation: String
    private let file: URL

    /// A verified token's claims and what a cache hit must still check.
    private struct Verified {
        var claims: JSONValue
        var expiry: Double
        var issuedAt: Int64
        var jti: String
    }

    private struct State {
        var notBefore: Int64 = 0
        var revoked: [String: Int64] = [:]
        var cache: [String: Verified] = [:]

        /// Whether a token issued at `issuedAt` with id `jti` is still allowed.
        func allows(issuedAt: Int64, jti: String) -> Bool {
            issuedAt >= notBefore && revoked[jti] == nil
        }
    }

    private enum Lookup {
        case miss
        case valid(JSONValue)
        case refused
    }

    private let state: Mutex<State>

    init(signer: WebTokenSigner, credentials: AdminCredentials, dataDirectory: URL) throws(ConfigurationError) {
        self.signer = signer
        self.generation = credentials.generation(secret: signer.secret)
        self.file = dataDirectory.appendingPathComponent(Self.revocationsFileName)
        var loaded = State()
        if let data = FileManager.default.contents(atPath: file.path) {
            guard let json = try? JSONValue(parsing: Array(data)), let notBefore = json["notBefore"]?.intValue,
                let revoked = json["revoked"]?.objectValue
            else { throw ConfigurationError("\(file.path) is not a valid revocation list; delete it to reset (old tokens then work again)") }
            loaded.notBefore = Int64(notBefore)
            loaded.revoked = revoked.compactMapValues { $0.intValue.map(Int64.init) }
        }
        state = Mutex(loaded)
    }

    /// A token for `subject` valid for `lifetime` from `now`; `deviceId` as in `WebTokenSigner.issue`.
    func issue(subject: String, lifetime: Duration, now: Date = Date(), deviceId: String = "*") throws(ConfigurationError) -> String {
        let jti = Base64URL.encode(try SHA256Digest.randomBytes(16))
        return signer.issue(
            subject: subject, lifetime: lifetime, now: now, deviceId: deviceId,
            extraClaims: ["gen": .string(generation), "jti": .string(jti)])
    }

    /// The claims of a valid token: signed by this host, unexpired, of the current credential
    /// generation, issued after the last revoke-all and not revoked itself.
    func verify(_ token: String, now: Date = Date()) throws(CommandError) -> JSONValue {
        let invalid = CommandError(.unauthorized, "invalid token")
        let nowSeconds = now.timeIntervalSince1970
        let lookup = state.withLock { state -> Lookup in
            guard let entry = state.cache[token] else { return .miss }
            guard entry.expiry > nowSeconds, state.allows(issuedAt: entry.issuedAt, jti: entry.jti) else {
                state.cache[token] = nil
                return .refused
            }
            return .valid(entry.claims)
        }
        switch lookup {
        case .valid(let claims): return claims
        case .refused: throw invalid
        case .miss: break
        }
        guard let claims = try? signer.verify(token, now: now) else { throw invalid }
        guard let gen = claims["gen"]?.stringValue, ConstantTime.equal(gen, generation),
            let jti = claims["jti"]?.stringValue, let issuedAt = claims["iat"]?.intValue, let expiry = claims["exp"]?.doubleValue
        else { throw invalid }
        let verified = Verified(claims: claims, expiry: expiry, issuedAt: Int64(issuedAt), jti: jti)
        // Checked and cached under one lock, so a revocation cannot slip in between.
        let allowed = state.withLock { state -> Bool in
            guard state.allows(issuedAt: verified.issuedAt, jti: jti) else { return false }
            if state.cache.count >= Self.maxCached { state.cache.remove(at: state.cache.startIndex) }
            state.cache[token] = verified
            return true
        }
        guard allowed else { throw invalid }
        return claims
    }

    /// How many verified tokens are cached (for tests).
    var cachedCount: Int { state.withLock { $0.cache.count } }

    /// Revokes one valid token (logout). Returns its claims.
    @discardableResult
    func revoke(_ token: String, now: Date = Date()) throws(CommandError) -> JSONValue {
        let claims = try verify(token, now: now)
        guard let jti = claims["jti"]?.stringValue, let expiry = claims["exp"]?.intValue else { throw CommandError(.unauthorized, "invalid token") }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try persist { state in
            state.revoked = state.revoked.filter { $0.value > nowSeconds }
            state.revoked[jti] = Int64(expiry)
            state.cache[token] = nil
            if state.revoked.count > Self.maxRevoked {
                state.notBefore = max(state.notBefore, nowSeconds + 1)
                state.revoked = [:]
                state.cache = [:]
            }
        }
        return claims
    }

    /// Revokes every token issued up to now.
    func revokeAll(now: Date = Date()) throws(CommandError) {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try persist { state in
            state.notBefore = nowSeconds + 1
            state.revoked = [:]
            state.cache = [:]
        }
    }

    private func persist(_ change: (inout State) -> Void) throws(CommandError) {
        let (notBefore, revoked) = state.withLock { state -> (Int64, [String: Int64]) in
            change(&state)
            return (state.notBefore, state.revoked)
        }
        let record: JSONValue = [
            "notBefore": .int(notBefore), "revoked": .object(revoked.mapValues { .int($0) }),
        ]
        let temporary = file.path + ".tmp-\(UUID().uuidString)"
        do {
            try PrivateFile.create(atPath: temporary, contents: record.encodedBytes())
        } catch {
            throw CommandError(.internal, "cannot save the token revocation list")
        }
        guard rename(temporary, file.path) == 0 else {
            unlink(temporary)
            throw CommandError(.internal, "cannot save the token revocation list")
        }
    }
}
