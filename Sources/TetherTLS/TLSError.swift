/// Everything that can go wrong in TetherTLS, each case carrying enough detail for a
/// user-facing message (see ``message``). Values are immutable and `Sendable`.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value was rejected (bad PEM, cipher string, version range, …).
    case invalidConfiguration(String)
    /// PEM or DER input could not be parsed.
    case invalidCertificate(String)
    /// Key or certificate generation failed inside OpenSSL.
    case generationFailed(String)
    /// The TLS handshake failed; the payload is OpenSSL's error string.
    case handshakeFailed(String)
    /// The peer's certificate does not carry the expected name (neither CN nor a subjectAltName).
    case certificateNameMismatch(expected: String, presentedCommonName: String?, presentedAlternativeNames: [String])
    /// The peer's certificate chain does not lead to a trusted root.
    case certificateUntrusted(subject: String?, issuer: String?, reason: String)
    /// A certificate in the peer's chain has expired.
    case certificateExpired(subject: String?, notAfter: String)
    /// A certificate in the peer's chain is not valid yet.
    case certificateNotYetValid(subject: String?, notBefore: String)
    /// Any other certificate verification failure (OpenSSL's verify error string).
    case certificateRejected(subject: String?, reason: String)
    /// Reading or writing application data failed after the handshake.
    case ioFailed(String)
    /// The peer closed the TCP connection before the handshake finished.
    case unexpectedEOF
    /// The peer closed the TCP connection without sending a byte (a TCP health check, a port
    /// scanner): the handshake never started.
    case closedBeforeHello

    /// A one-sentence, user-facing description.
    public var message: String {
        switch self {
        case .invalidConfiguration(let detail):
            return "Invalid TLS configuration: \(detail)"
        case .invalidCertificate(let detail):
            return "Invalid certificate or key: \(detail)"
        case .generationFailed(let detail):
            return "Certificate generation failed: \(detail)"
        case .handshakeFailed(let detail):
            return "TLS handshake failed: \(detail)"
        case .certificateNameMismatch(let expected, let cn, let sans):
            let sanText = sans.isEmpty ? "none" : sans.joined(separator: ", ")
            return "Server certificate name mismatch: expected CN '\(expected)' but the certificate presents CN '\(cn ?? "<none>")' (subjectAltNames: \(sanText))"
        case .certificateUntrusted(let subject, let issuer, let reason):
            return "Untrusted certificate '\(subject ?? "<no CN>")' issued by '\(issuer ?? "<no CN>")': \(reason)"
        case .certificateExpired(let subject, let notAfter):
            return "Certificate '\(subject ?? "<no CN>")' expired on \(notAfter)"
        case .certificateNotYetValid(let subject, let notBefore):
            return "Certificate '\(subject ?? "<no CN>")' is not valid before \(notBefore)"
        case .certificateRejected(let subject, let reason):
            return "Certificate '\(subject ?? "<no CN>")' rejected: \(reason)"
        case .ioFailed(let detail):
            return "TLS I/O failed: \(detail)"
        case .unexpectedEOF:
            return "The peer closed the connection during the TLS handshake"
        case .closedBeforeHello:
            return "The peer closed the connection before sending a TLS hello"
        }
    }

    public var description: String { message }
}
