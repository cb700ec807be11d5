import COpenSSL

/// The `SSL` ex-data slot holding a connection's ``PeerVerificationState`` (allocated once).
let peerVerificationExDataIndex: Int32 = tether_SSL_get_ex_new_index()

/// Per-connection verification record, owned by its ``OpenSSLHandler`` and reached from the C
/// verify callback through the `SSL`'s ex-data (an unretained pointer: the handler keeps the
/// object alive for as long as the `SSL` exists). Only touched on the channel's event loop,
/// because OpenSSL calls the callback synchronously inside `SSL_do_handshake`.
final class PeerVerificationState {
    /// Name the server certificate must carry (client role); `nil` skips the name check.
    let expectedName: String?
    /// The first reason verification failed, with details, if it did.
    private(set) var failure: TLSError?

    init(expectedName: String?) {
        self.expectedName = expectedName
    }

    /// Called for each certificate in the chain (root first, leaf last, at depth 0).
    func evaluate(preverify: Int32, store: OpaquePointer) -> Int32 {
        let depth = X509_STORE_CTX_get_error_depth(store)
        let certificate = X509_STORE_CTX_get_current_cert(store)
        let summary = certificate.flatMap { try? CertificateSummary(x509: $0) }
        if preverify != 1 {
            if failure == nil {
                failure = PeerVerificationState.mapError(X509_STORE_CTX_get_error(store), summary)
            }
            return 0
        }
        if depth == 0, let expectedName {
            guard let summary else {
                failure = TLSError.certificateRejected(subject: nil, reason: "the server certificate is unreadable")
                return 0
            }
            if !summary.matches(name: expectedName) {
                failure = TLSError.certificateNameMismatch(
                    expected: expectedName,
                    presentedCommonName: summary.subjectCommonName,
                    presentedAlternativeNames: summary.alternativeNames.map(\.description))
                X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH)
                return 0
            }
        }
        return 1
    }

    private static func mapError(_ code: Int32, _ summary: CertificateSummary?) -> TLSError {
        let reason = String(cString: X509_verify_cert_error_string(Int(code)))
        let subject = summary?.subjectCommonName
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .certificateExpired(subject: subject, notAfter: summary.map { "\($0.notAfter)" } ?? "unknown")
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return .certificateNotYetValid(subject: subject, notBefore: summary.map { "\($0.notBefore)" } ?? "unknown")
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
             X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
             X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
             X509_V_ERR_CERT_SIGNATURE_FAILURE,
             X509_V_ERR_CERT_UNTRUSTED:
            return .certificateUntrusted(subject: subject, issuer: summary?.issuerCommonName, reason: reason)
        default:
            return .certificateRejected(subject: subject, reason: reason)
        }
    }
}

/// The C verify callback installed on client contexts that verify their peer.
let tetherPeerVerifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverify, store in
    guard let store,
          let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
          let raw = SSL_get_ex_data(OpaquePointer(ssl), peerVerificationExDataIndex)
    else {
        return preverify
    }
    let state = Unmanaged<PeerVerificationState>.fromOpaque(raw).takeUnretainedValue()
    return state.evaluate(preverify: preverify, store: store)
}
