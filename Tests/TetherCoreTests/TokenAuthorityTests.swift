import Foundation
import Logging
import Testing
import TetherJSON
@testable import TetherCore

/// The verified-token cache of `TokenAuthority`: hits still honour expiry and revocation, invalid
/// tokens are never cached, and the cache stays bounded.
@Suite struct TokenAuthorityTests {
    private static func authority(in directory: URL) throws -> TokenAuthority {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let credentials = try AdminCredentials.resolve(
            environment: ["TETHER_ADMIN_USER": "admin", "TETHER_ADMIN_PASSWORD": "Cache-P@ss-1"], configured: (nil, nil),
            dataDirectory: directory, logger: logger)
        return try TokenAuthority(signer: WebTokenSigner(secret: Array(repeating: 3, count: 32)), credentials: credentials, dataDirectory: directory)
    }

    private static func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    private static func refused(_ authority: TokenAuthority, _ token: String, now: Date = Date()) -> Bool {
        (try? authority.verify(token, now: now)) == nil
    }

    @Test func aCachedTokenIsRefusedRightAfterItIsRevoked() throws {
        try Self.withDirectory { directory in
            let tokens = try Self.authority(in: directory)
            let revoked = try tokens.issue(subject: "admin", lifetime: .seconds(600))
            let kept = try tokens.issue(subject: "admin", lifetime: .seconds(600))
            let claims = try tokens.verify(revoked)
            _ = try tokens.verify(kept)
            #expect(tokens.cachedCount == 2)
            // A hit gives the same claims as the first verification.
            #expect(try tokens.verify(revoked) == claims)
            try tokens.revoke(revoked)
            #expect(Self.refused(tokens, revoked))
            #expect(try tokens.verify(kept)["jti"] != nil)
            // Revoke-all reaches the cached survivor, and tokens issued afterwards still work.
            _ = try tokens.verify(kept)
            try tokens.revokeAll(now: Date())
            #expect(Self.refused(tokens, kept))
            let later = try tokens.issue(subject: "admin", lifetime: .seconds(600), now: Date().addingTimeInterval(2))
            #expect(try tokens.verify(later, now: Date().addingTimeInterval(2))["sub"] == "admin")
        }
    }

    @Test func aCachedTokenStillExpires() throws {
        try Self.withDirectory { directory in
            let tokens = try Self.authority(in: directory)
            let now = Date()
            let token = try tokens.issue(subject: "admin", lifetime: .seconds(60), now: now)
            _ = try tokens.verify(token, now: now)
            #expect(tokens.cachedCount == 1)
            _ = try tokens.verify(token, now: now.addingTimeInterval(59))
            #expect(Self.refused(tokens, token, now: now.addingTimeInterval(60)))
            #expect(tokens.cachedCount == 0)
        }
    }

    @Test func invalidTokensAreNotCached() throws {
        try Self.withDirectory { directory in
            let tokens = try Self.authority(in: directory)
            let valid = try tokens.issue(subject: "admin", lifetime: .seconds(600))
            let forged = WebTokenSigner(secret: Array(repeating: 9, count: 32)).issue(subject: "admin", lifetime: .seconds(600))
            var tampered = Array(valid.utf8)
            tampered[tampered.count - 2] = tampered[tampered.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            // Correctly signed by this host, but not bound to the credential generation.
            let unbound = tokens.signer.issue(subject: "admin", lifetime: .seconds(600))
            for token in [forged, String(decoding: tampered, as: UTF8.self), unbound, "not.a.token", ""] {
                #expect(Self.refused(tokens, token))
                #expect(Self.refused(tokens, token))
            }
            #expect(tokens.cachedCount == 0)
        }
    }

    @Test func theCacheIsBounded() throws {
        try Self.withDirectory { directory in
            let tokens = try Self.authority(in: directory)
            var issued: [String] = []
            for _ in 0..<(TokenAuthority.maxCached + 20) {
                let token = try tokens.issue(subject: "admin", lifetime: .seconds(600))
                _ = try tokens.verify(token)
                issued.append(token)
            }
            #expect(tokens.cachedCount == TokenAuthority.maxCached)
            // Evicted tokens are still valid: they are verified again and come back.
            for token in issued { _ = try tokens.verify(token) }
            #expect(tokens.cachedCount == TokenAuthority.maxCached)
        }
    }

    @Test func bearerHeadersAreParsedByteByByte() {
        #expect(FrontendGateway.bearerToken("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(FrontendGateway.bearerToken("bEaReR \t abc \t") == "abc")
        #expect(FrontendGateway.bearerToken("Bearer ") == nil)
        #expect(FrontendGateway.bearerToken("Bearer    ") == nil)
        #expect(FrontendGateway.bearerToken("Bearer\u{0}abc") == nil)
        #expect(FrontendGateway.bearerToken("Bearerabc") == nil)
        #expect(FrontendGateway.bearerToken("Basic YWRtaW46eA==") == nil)
        #expect(FrontendGateway.bearerToken("Béarer abc") == nil)
        #expect(FrontendGateway.bearerToken("Bearer tök") == "tök")
    }
}
