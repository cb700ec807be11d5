import COpenSSL

/// A configured OpenSSL `SSL_CTX`, created once and shared by every connection that uses the
/// same configuration (one per listener, one per client profile).
///
/// Thread safety: the `SSL_CTX` is fully configured in `init` and never mutated afterwards;
/// OpenSSL documents `SSL_new` on a fully configured context as safe from any thread and keeps
/// its own atomic reference count, so instances are `@unchecked Sendable`. The context is freed
/// when the last Swift reference goes away; `SSL` objects created from it hold their own
/// OpenSSL reference, so in-flight connections outlive a dropped ``TLSContext`` safely.
public final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The configuration this context was built from.
    public let configuration: TLSConfiguration

    /// `true` when the context accepts connections (server role).
    public var isServer: Bool { configuration.isServer }

    /// Builds and validates the context. Throws ``TLSError/invalidConfiguration(_:)`` or
    /// ``TLSError/invalidCertificate(_:)`` naming what OpenSSL rejected.
    public init(configuration: TLSConfiguration) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        let method = configuration.isServer ? TLS_server_method() : TLS_client_method()
        guard let ctx = SSL_CTX_new(method) else {
            throw TLSError.invalidConfiguration(OpenSSLErrorQueue.drain(fallback: "SSL_CTX_new failed"))
        }
        do {
            try TLSContext.configure(ctx, with: configuration)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        self.pointer = ctx
        self.configuration = configuration
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private static func configure(_ ctx: OpaquePointer, with configuration: TLSConfiguration) throws(TLSError) {
        if let maximum = configuration.maximumVersion, maximum < configuration.minimumVersion {
            throw TLSError.invalidConfiguration(
                "maximum version \(maximum.name) is below minimum version \(configuration.minimumVersion.name)")
        }
        guard tether_SSL_CTX_set_min_proto_version(ctx, configuration.minimumVersion.openSSLValue) == 1 else {
            throw TLSError.invalidConfiguration("unsupported minimum version \(configuration.minimumVersion.name)")
        }
        let maximum = configuration.maximumVersion?.openSSLValue ?? 0
        guard tether_SSL_CTX_set_max_proto_version(ctx, maximum) == 1 else {
            throw TLSError.invalidConfiguration("unsupported maximum version")
        }
        if let cipherList = configuration.cipherList {
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_set_cipher_list(ctx, cipherList) == 1 else {
                throw TLSError.invalidConfiguration(
                    "cipher list '\(cipherList)': " + OpenSSLErrorQueue.drain(fallback: "no usable cipher"))
            }
        }
        if let suites = configuration.tls13CipherSuites {
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_set_ciphersuites(ctx, suites) == 1 else {
                throw TLSError.invalidConfiguration(
                    "TLS 1.3 cipher suites '\(suites)': " + OpenSSLErrorQueue.drain(fallback: "no usable suite"))
            }
        }
        _ = tether_SSL_CTX_set_dh_auto(ctx, 1)
        // Idle tunnels must not pin 34 KiB of record buffers each.
        _ = tether_SSL_CTX_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))
        var options = tether_SSL_OP_NO_COMPRESSION() | tether_SSL_OP_NO_RENEGOTIATION()
        if configuration.isServer {
            options |= tether_SSL_OP_CIPHER_SERVER_PREFERENCE()
        }
        _ = tether_SSL_CTX_set_options(ctx, options)

        switch configuration.role {
        case .server(let identity):
            try installIdentity(ctx, identity)
            if identity.requestClientCertificate {
                // Request, never require: no FAIL_IF_NO_PEER_CERT, and the callback accepts.
                SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER) { _, _ in 1 }
            } else {
                SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
            }
        case .client(.insecure):
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        case .client(.verify(let rootsPEM)):
            let roots = try X509Certificate.parseAll(pem: rootsPEM)
            guard let store = SSL_CTX_get_cert_store(ctx) else {
                throw TLSError.invalidConfiguration("the context has no certificate store")
            }
            for root in roots {
                OpenSSLErrorQueue.clear()
                guard X509_STORE_add_cert(store, root.pointer) == 1 else {
                    throw TLSError.invalidCertificate(
                        "trust root: " + OpenSSLErrorQueue.drain(fallback: "cannot add to the trust store"))
                }
            }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tetherPeerVerifyCallback)
        }
    }

    private static func installIdentity(_ ctx: OpaquePointer, _ identity: TLSConfiguration.ServerIdentity) throws(TLSError) {
        let chain = try X509Certificate.parseAll(pem: identity.certificateChainPEM)
        let key = try PrivateKey.parse(pem: identity.privateKeyPEM)
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate(ctx, chain[0].pointer) == 1 else {
            throw TLSError.invalidCertificate(
                "server certificate: " + OpenSSLErrorQueue.drain(fallback: "rejected by OpenSSL"))
        }
        for extra in chain.dropFirst() {
            guard tether_SSL_CTX_add1_chain_cert(ctx, extra.pointer) == 1 else {
                throw TLSError.invalidCertificate(
                    "chain certificate: " + OpenSSLErrorQueue.drain(fallback: "rejected by OpenSSL"))
            }
        }
        guard SSL_CTX_use_PrivateKey(ctx, key.pointer) == 1 else {
            throw TLSError.invalidCertificate(
                "server private key: " + OpenSSLErrorQueue.drain(fallback: "rejected by OpenSSL"))
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw TLSError.invalidCertificate(
                "the private key does not match the server certificate: "
                    + OpenSSLErrorQueue.drain(fallback: "key mismatch"))
        }
    }
}
