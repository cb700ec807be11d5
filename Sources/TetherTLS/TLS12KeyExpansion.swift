import COpenSSL

/// The traffic keys of a TLS 1.2 AES-GCM session (RFC 5246 §6.3, RFC 5288 §3), derived from the
/// session OpenSSL has just negotiated: `key_block = PRF(master_secret, "key expansion",
/// server_random + client_random)`, cut into client key, server key, client salt, server salt
/// (AEAD suites have no MAC keys). The PRF is OpenSSL's (`TLS1-PRF` KDF); only the assembly is
/// ours, and a known-answer test pins it.
struct TLS12KeyExpansion {
    /// The AES-GCM suites the compact record layer serves, by IANA id.
    enum Suite: Sendable, Equatable {
        case aes128GCM
        case aes256GCM

        /// The suite for an IANA cipher suite id, or nil when it is not TLS 1.2 AES-GCM.
        init?(protocolID: UInt16) {
            switch protocolID {
            // TLS_RSA / TLS_DHE_RSA / TLS_ECDHE_RSA / TLS_ECDHE_ECDSA _WITH_AES_128_GCM_SHA256
            case 0x009C, 0x009E, 0xC02F, 0xC02B: self = .aes128GCM
            // … _WITH_AES_256_GCM_SHA384
            case 0x009D, 0x009F, 0xC030, 0xC02C: self = .aes256GCM
            default: return nil
            }
        }

        var keyLength: Int { self == .aes128GCM ? 16 : 32 }
        /// The PRF's hash (SHA-256 suites use SHA-256, SHA-384 suites SHA-384; RFC 5288 §3).
        var prfDigest: String { self == .aes128GCM ? "SHA256" : "SHA384" }
    }

    /// Bytes of the fixed, implicit part of the GCM nonce (`salt`, RFC 5288 §3).
    static let saltLength = 4

    let suite: Suite
    let clientKey: [UInt8]
    let serverKey: [UInt8]
    let clientSalt: [UInt8]
    let serverSalt: [UInt8]

    /// Cuts a key block (`2 × key + 2 × salt` bytes) into its parts.
    init(suite: Suite, keyBlock: [UInt8]) {
        let k = suite.keyLength
        self.suite = suite
        clientKey = Array(keyBlock[0..<k])
        serverKey = Array(keyBlock[k..<(2 * k)])
        clientSalt = Array(keyBlock[(2 * k)..<(2 * k + Self.saltLength)])
        serverSalt = Array(keyBlock[(2 * k + Self.saltLength)..<(2 * k + 2 * Self.saltLength)])
    }

    /// The keys of `ssl`'s session, or nil unless it negotiated TLS 1.2 with an AES-GCM suite
    /// (or OpenSSL cannot give the master secret).
    init?(ssl: OpaquePointer) {
        guard SSL_version(ssl) == TLS1_2_VERSION, let cipher = SSL_get_current_cipher(ssl),
              let suite = Suite(protocolID: SSL_CIPHER_get_protocol_id(cipher)),
              let session = SSL_get_session(ssl)
        else { return nil }
        var master = [UInt8](repeating: 0, count: 48)
        var clientRandom = [UInt8](repeating: 0, count: 32)
        var serverRandom = [UInt8](repeating: 0, count: 32)
        defer { Self.cleanse(&master) }
        guard SSL_SESSION_get_master_key(session, &master, master.count) == master.count,
              SSL_get_client_random(ssl, &clientRandom, clientRandom.count) == clientRandom.count,
              SSL_get_server_random(ssl, &serverRandom, serverRandom.count) == serverRandom.count,
              var block = Self.keyBlock(suite: suite, masterSecret: master, clientRandom: clientRandom, serverRandom: serverRandom)
        else { return nil }
        defer { Self.cleanse(&block) }
        self.init(suite: suite, keyBlock: block)
    }

    /// `PRF(master_secret, "key expansion", server_random + client_random)`, as long as the
    /// suite's keys and salts.
    static func keyBlock(suite: Suite, masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8]) -> [UInt8]? {
        let seed = Array("key expansion".utf8) + serverRandom + clientRandom
        var block = [UInt8](repeating: 0, count: 2 * suite.keyLength + 2 * saltLength)
        let count = block.count
        let ok = block.withUnsafeMutableBufferPointer { out in
            tether_tls12_prf(suite.prfDigest, masterSecret, masterSecret.count, seed, seed.count, out.baseAddress, count)
        }
        return ok == 1 ? block : nil
    }

    /// Overwrites key material before its memory is released.
    static func cleanse(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }
}
