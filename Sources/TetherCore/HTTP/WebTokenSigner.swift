import Foundation
import PluginHost
import TetherJSON

/// Issues and verifies the REST API's bearer tokens: JWS compact serialisation, HS256, with the
/// claims Open AMT's MPS puts in its login token (`tenantId`, `iss`, `deviceId`, `exp`) plus
/// `sub` and `iat`. The secret never leaves the host. Thread-safe (immutable).
struct WebTokenSigner: Sendable {
    static let issuer = "tether"
    private static let header: JSONValue = ["alg": "HS256", "typ": "JWT"]

    let secret: [UInt8]

    /// A token for `subject` valid for `lifetime` from `now`. `deviceId` is `*` for API tokens,
    /// a device GUID for a redirection token (good for that device's redirection only).
    func issue(
        subject: String, lifetime: Duration, now: Date = Date(), deviceId: String = "*", extraClaims: [String: JSONValue] = [:]
    ) -> String {
        let issuedAt = Int64(now.timeIntervalSince1970)
        var members: [String: JSONValue] = [
            "tenantId": "", "iss": .string(Self.issuer), "deviceId": .string(deviceId), "sub": .string(subject),
            "iat": .int(issuedAt), "exp": .int(issuedAt + lifetime.components.seconds),
        ]
        members.merge(extraClaims) { standard, _ in standard }
        let claims = JSONValue.object(members)
        let signingInput = Base64URL.encode(Self.header.encodedBytes()) + "." + Base64URL.encode(claims.encodedBytes())
        return signingInput + "." + Base64URL.encode(SHA256Digest.hmac(key: secret, message: Array(signingInput.utf8)))
    }

    /// The claims of a well-formed, correctly signed, unexpired token.
    func verify(_ token: String, now: Date = Date()) throws(CommandError) -> JSONValue {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw CommandError(.unauthorized, "malformed token") }
        guard let header = try? JSONValue(parsing: headerBytes), header["alg"]?.stringValue == "HS256" else {
            throw CommandError(.unauthorized, "unsupported token algorithm")
        }
        // The signing input is the token up to its second dot, as received.
        let expected = SHA256Digest.hmac(key: secret, message: Array(token.utf8[..<parts[1].endIndex]))
        guard ConstantTime.equal(signature, expected) else {
            throw CommandError(.unauthorized, "invalid token signature")
        }
        guard let claims = try? JSONValue(parsing: claimBytes), let expiry = claims["exp"]?.doubleValue else {
            throw CommandError(.unauthorized, "token without an expiry")
        }
        guard expiry > now.timeIntervalSince1970 else { throw CommandError(.unauthorized, "token expired") }
        return claims
    }
}
