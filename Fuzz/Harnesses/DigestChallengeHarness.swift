import WSMan

/// The digest challenge parser fuzz harness (`Fuzz/DigestChallengeFuzz`, and the suite's smoke
/// test): the input is a `WWW-Authenticate` value (any bytes, decoded as UTF-8 with repair). A
/// parsed challenge has a nonce, survives its own header rendering, and yields an
/// `Authorization` once credentials accept it.
public enum DigestChallengeHarness {
    /// Parses one input and checks the invariants (traps on a violation).
    public static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let header = String(decoding: input, as: UTF8.self)
        guard let challenge = try? DigestChallenge(headerValue: header) else { return }
        precondition(!challenge.nonce.isEmpty, "a challenge without a nonce was accepted")
        let rendered = challenge.headerValue
        guard let again = try? DigestChallenge(headerValue: rendered) else {
            preconditionFailure("the rendering of a parsed challenge does not parse: \(rendered)")
        }
        precondition(again.realm == challenge.realm && again.nonce == challenge.nonce, "rendering changed the challenge")
        var credentials = DigestCredentials(username: "admin", password: "P@ssw0rd", cnonce: { "0a4f113b" })
        credentials.accept(challenge)
        precondition(credentials.authorization() != nil, "no Authorization for an accepted challenge")
    }
}
