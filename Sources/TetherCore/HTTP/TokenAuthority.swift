import Foundation
import PluginHost
import Synchronization
import TetherJSON

/// Issues, verifies and revokes the REST API's bearer tokens. A token carries `gen` (the admin
/// credential generation: a keyed hash of the account, so changing the password invalidates
/// every token issued before) and a random `jti` (so one token can be revoked). Revocations and
/// the "revoke all before" time are kept in `http-token-revocations.json` (mode 0600) and so
/// survive restarts. Verification failures all read "invalid token" (say less). Thread-safe.
final class TokenAuthority: Sendable {
    static let revocationsFileName = "http-token-revocations.json"
    /// Most revoked-but-unexpired tokens remembered; past that the oldest-expiring are
    /// dropped and every token issued before them is revoked wholesale (`notBefore`).
    static let maxRevoked = 10_000

    let signer: WebTokenSigner
    let generation: String
    private let file: URL

    private struct State {
        var notBefore: Int64 = 0
        var revoked: [String: Int64] = [:]
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
        guard let claims = try? signer.verify(token, now: now) else { throw invalid }
        guard let gen = claims["gen"]?.stringValue, ConstantTime.equal(gen, generation),
            let jti = claims["jti"]?.stringValue, let issuedAt = claims["iat"]?.intValue
        else { throw invalid }
        let current = state.withLock { $0 }
        guard Int64(issuedAt) >= current.notBefore, current.revoked[jti] == nil else { throw invalid }
        return claims
    }

    /// Revokes one valid token (logout). Returns its claims.
    @discardableResult
    func revoke(_ token: String, now: Date = Date()) throws(CommandError) -> JSONValue {
        let claims = try verify(token, now: now)
        guard let jti = claims["jti"]?.stringValue, let expiry = claims["exp"]?.intValue else { throw CommandError(.unauthorized, "invalid token") }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try persist { state in
            state.revoked = state.revoked.filter { $0.value > nowSeconds }
            state.revoked[jti] = Int64(expiry)
            if state.revoked.count > Self.maxRevoked {
                state.notBefore = max(state.notBefore, nowSeconds + 1)
                state.revoked = [:]
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
        }
    }

    private func persist(_ change: (inout State) -> Void) throws(CommandError) {
        let snapshot = state.withLock { state -> State in
            change(&state)
            return state
        }
        let record: JSONValue = [
            "notBefore": .int(snapshot.notBefore), "revoked": .object(snapshot.revoked.mapValues { .int($0) }),
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
