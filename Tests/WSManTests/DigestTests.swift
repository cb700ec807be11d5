import Foundation
import Testing
@testable import WSMan

@Suite struct DigestTests {
    @Test func md5KnownValues() {
        #expect(MD5.hex("test") == "098f6bcd4621d373cade4e832627b4f6")
        #expect(MD5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex("POST:/wsman") == "d83ba950d85d6f9b22682df889d8b847")
    }

    /// The batched random bytes: across batch boundaries (4 KiB) and from many threads at once,
    /// no two 16-byte draws repeat, and the bytes are not all alike.
    @Test func randomBytesDoNotRepeatAcrossBatchesOrThreads() async {
        let draws = await withTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<4 { group.addTask { (0..<1_000).map { _ in MD5.randomBytes(16) } } }
            return await group.reduce(into: [[UInt8]]()) { $0 += $1 }
        }
        #expect(draws.count == 4_000 && draws.allSatisfy { $0.count == 16 })
        #expect(Set(draws).count == draws.count)
        let histogram = draws.joined().reduce(into: [Int](repeating: 0, count: 256)) { $0[Int($1)] += 1 }
        #expect(histogram.filter { $0 > 0 }.count > 250, "64,000 random bytes cover almost every value")
        #expect(MD5.randomBytes(0).isEmpty && MD5.randomBytes(4096).count == 4096)
    }

    /// RFC 2617 §3.5 example.
    @Test func rfc2617Vector() {
        let response = DigestAuthorization.computeResponse(
            username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", method: "GET",
            uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", nonceCount: "00000001",
            cnonce: "0a4f113b", qop: "auth")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    /// RFC 7616 §3.9.1 example (MD5).
    @Test func rfc7616Vector() {
        let response = DigestAuthorization.computeResponse(
            username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", method: "GET",
            uri: "/dir/index.html", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nonceCount: "00000001",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop: "auth")
        #expect(response == "8ca523f5e9506fed4657c9700eebdbec")
    }

    /// Vectors from the reference (MPS algorithm, AMT header layout).
    @Test func amtClientHeaderAndCounter() throws {
        let challenge = try DigestChallenge(headerValue: "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",qop=\"auth-int, auth\"")
        var credentials = DigestCredentials(username: "admin", password: "P@ssw0rd", cnonce: { "abc123" })
        #expect(credentials.authorization() == nil)
        credentials.accept(challenge)
        #expect(credentials.authorization() == "Digest username=\"admin\",realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\",nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",uri=\"/wsman\",qop=\"auth\",response=\"89e54a7f67d92228fcd3b500776b0957\",nc=\"00000001\",cnonce=\"abc123\"")
        let secondHeader = credentials.authorization()
        let second = try DigestAuthorization(headerValue: try #require(secondHeader))
        #expect(second.nonceCount == "00000002")
        #expect(second.response == "55ae9542ef93bafc01ba43629c033318")
        // Same nonce again keeps counting; a new nonce restarts at 1.
        credentials.accept(challenge)
        #expect(credentials.nonceCount == 2)
        credentials.accept(DigestChallenge(realm: challenge.realm, nonce: "other"))
        let thirdHeader = credentials.authorization()
        #expect(try DigestAuthorization(headerValue: try #require(thirdHeader)).nonceCount == "00000001")
    }

    @Test(arguments: [
        "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",qop=\"auth-int, auth\"",
        "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",qop=\"auth-int, auth, hot-mess\"",
        "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",qop=\"\"",
        "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",qop=\"auth\",",
        "Digest realm=\"Digest:56ABC7BE224EF620C69EB88F01071DC8\", nonce=\"fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY\",stale=\"false\",,qop=\"auth\",",
    ])
    func challengeVariants(_ header: String) throws {
        let challenge = try DigestChallenge(headerValue: header)
        #expect(challenge == DigestChallenge(realm: "Digest:56ABC7BE224EF620C69EB88F01071DC8",
                                             nonce: "fVNueyEAAAAAAAAAcO8WqJ8s+WdyFUIY", qop: "auth", stale: false))
    }

    @Test func challengeErrors() {
        #expect(throws: DigestError.self) { try DigestChallenge(headerValue: "Basic realm=\"x\"") }
        #expect(throws: DigestError.missingParameter("nonce")) { try DigestChallenge(headerValue: "Digest realm=\"x\"") }
        #expect(throws: DigestError.self) { try DigestChallenge(headerValue: "Digest realm=\"x, nonce=\"y\"") }
        #expect(throws: DigestError.unsupportedAlgorithm("SHA-256")) {
            try DigestChallenge(headerValue: "Digest realm=\"x\", nonce=\"y\", algorithm=SHA-256")
        }
        let stale = try? DigestChallenge(headerValue: "Digest realm=\"r\", nonce=\"n\", stale=TRUE, opaque=\"o\"")
        #expect(stale?.stale == true)
        #expect(stale?.opaque == "o")
        #expect(stale?.qop == nil)
    }

    @Test func verifierRealmShapeAndChallengeRoundTrip() throws {
        var verifier = DigestVerifier()
        #expect(verifier.realm.hasPrefix("Digest:"))
        let hex = verifier.realm.dropFirst(7)
        #expect(hex.count == 32 && hex.allSatisfy { "0123456789ABCDEF".contains($0) })
        let challenge = verifier.challenge()
        #expect(try DigestChallenge(headerValue: challenge.headerValue) == challenge)
        #expect(verifier.challenge().nonce != challenge.nonce)
    }

    @Test func clientAgainstVerifier() throws {
        var verifier = DigestVerifier()
        let now = Date(timeIntervalSince1970: 1_000_000)
        let lookup: (String) -> String? = { $0 == "admin" ? "P@ssw0rd" : nil }
        var client = DigestCredentials(username: "admin", password: "P@ssw0rd")
        client.accept(verifier.challenge(now: now))
        for _ in 0..<3 {  // pre-emptive reuse: nc increments, all accepted
            let header = client.authorization()
            #expect(verifier.verify(authorization: header, method: "POST", uri: "/wsman", password: lookup, now: now)
                    == .authenticated(username: "admin"))
        }

        // Replaying an old header fails.
        var replayClient = DigestCredentials(username: "admin", password: "P@ssw0rd")
        replayClient.accept(try #require(client.challenge))
        let replayed = replayClient.authorization()  // nc 1 again on the same nonce
        #expect(verifier.verify(authorization: replayed, method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.replayedNonceCount))

        // Wrong password, unknown user, wrong method/uri, no header.
        var wrong = DigestCredentials(username: "admin", password: "nope")
        wrong.accept(try #require(client.challenge))
        #expect(verifier.verify(authorization: wrong.authorization(), method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.badCredentials))
        var stranger = DigestCredentials(username: "eve", password: "P@ssw0rd")
        stranger.accept(try #require(client.challenge))
        #expect(verifier.verify(authorization: stranger.authorization(), method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.badCredentials))
        #expect(verifier.verify(authorization: client.authorization(), method: "GET", uri: "/wsman", password: lookup, now: now)
                == .rejected(.badCredentials))
        #expect(verifier.verify(authorization: client.authorization(uri: "/other"), method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.uriMismatch))
        #expect(verifier.verify(authorization: nil, method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.missing))

        // Another realm is refused.
        var foreign = DigestCredentials(username: "admin", password: "P@ssw0rd")
        foreign.accept(DigestChallenge(realm: "Digest:00000000000000000000000000000000", nonce: "n"))
        #expect(verifier.verify(authorization: foreign.authorization(), method: "POST", uri: "/wsman", password: lookup, now: now)
                == .rejected(.wrongRealm))
    }

    /// Requests sent concurrently over several channels reach AMT out of order: any unused `nc`
    /// within the window is accepted; a repeated one or one older than the window is not.
    @Test func nonceCountsOutOfOrderWithinTheWindow() {
        var verifier = DigestVerifier()
        verifier.replayWindow = 8
        let now = Date(timeIntervalSince1970: 3_000_000)
        let challenge = verifier.challenge(now: now)
        func verify(_ nc: UInt32) -> DigestVerification {
            var auth = DigestAuthorization(
                username: "admin", realm: challenge.realm, nonce: challenge.nonce, uri: "/wsman", response: "",
                opaque: challenge.opaque)
            auth.qop = "auth"
            auth.nonceCount = DigestCredentials.formatNonceCount(nc)
            auth.cnonce = "c\(nc)"
            auth.response = auth.expectedResponse(password: "p", method: "POST")
            return verifier.verify(authorization: auth.headerValue, method: "POST", uri: "/wsman", password: { _ in "p" }, now: now)
        }
        let ok = DigestVerification.authenticated(username: "admin")
        #expect(verify(5) == ok)  // need not start at 1 (MPS never resets nc on a new nonce)
        #expect(verify(7) == ok)
        #expect(verify(6) == ok)  // late, unused: accepted
        #expect(verify(6) == .rejected(.replayedNonceCount))
        #expect(verify(7) == .rejected(.replayedNonceCount))
        #expect(verify(20) == ok)
        #expect(verify(13) == ok)  // 20 - 13 = 7 < window
        #expect(verify(12) == .rejected(.replayedNonceCount))  // outside the window
        #expect(verify(0) == .rejected(.replayedNonceCount))
    }

    @Test func staleNoncePath() throws {
        var verifier = DigestVerifier(nonceLifetime: 60)
        let t0 = Date(timeIntervalSince1970: 2_000_000)
        let lookup: (String) -> String? = { _ in "secret" }
        var client = DigestCredentials(username: "admin", password: "secret")
        client.accept(verifier.challenge(now: t0))
        #expect(verifier.verify(authorization: client.authorization(), method: "POST", uri: "/wsman", password: lookup, now: t0.addingTimeInterval(30))
                == .authenticated(username: "admin"))
        // Expired nonce with correct credentials → stale.
        let late = t0.addingTimeInterval(61)
        #expect(verifier.verify(authorization: client.authorization(), method: "POST", uri: "/wsman", password: lookup, now: late) == .stale)
        // Expired nonce with wrong credentials → rejected, not stale.
        var wrong = DigestCredentials(username: "admin", password: "bad")
        wrong.accept(try #require(client.challenge))
        #expect(verifier.verify(authorization: wrong.authorization(), method: "POST", uri: "/wsman", password: lookup, now: late)
                == .rejected(.badCredentials))
        // The client takes the stale challenge (over the wire) and succeeds again.
        let staleChallenge = try DigestChallenge(headerValue: verifier.challenge(stale: true, now: late).headerValue)
        #expect(staleChallenge.stale)
        client.accept(staleChallenge)
        #expect(verifier.verify(authorization: client.authorization(), method: "POST", uri: "/wsman", password: lookup, now: late)
                == .authenticated(username: "admin"))
    }

    @Test func nonceTableIsBounded() {
        var verifier = DigestVerifier(maxNonces: 4)
        let first = verifier.challenge()
        for _ in 0..<10 { _ = verifier.challenge() }
        #expect(verifier.activeNonceCount == 4)
        var client = DigestCredentials(username: "u", password: "p")
        client.accept(first)
        #expect(verifier.verify(authorization: client.authorization(), method: "POST", uri: "/wsman", password: { _ in "p" }) == .stale)
    }

    @Test func malformedAuthorizationRejected() {
        var verifier = DigestVerifier()
        let result = verifier.verify(authorization: "Digest username=\"admin\"", method: "POST", uri: "/wsman", password: { _ in "x" })
        #expect(result == .rejected(.malformed(.missingParameter("realm"))))
        #expect(DigestVerifier.constantTimeEqual("abc", "abc"))
        #expect(!DigestVerifier.constantTimeEqual("abc", "abd"))
        #expect(!DigestVerifier.constantTimeEqual("abc", "abcd"))
    }
}

/// Known answers for the header the client writes and for HA1 reuse across challenges.
@Suite struct DigestHeaderKnownAnswerTests {
    /// RFC 2617 §3.5: the example's parameters in AMT's layout (no spaces, all quoted), opaque last.
    @Test func rfc2617ExampleHeader() throws {
        let auth = DigestAuthorization(
            username: "Mufasa", realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", uri: "/dir/index.html",
            response: "6629fae49393a05397450978507c4ef1", qop: "auth", nonceCount: "00000001", cnonce: "0a4f113b",
            opaque: "5ccc069c403ebaf9f0171e9517f40e41")
        #expect(auth.expectedResponse(password: "Circle Of Life", method: "GET") == auth.response)
        #expect(auth.headerValue == #"Digest username="Mufasa",realm="testrealm@host.com",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",uri="/dir/index.html",qop="auth",response="6629fae49393a05397450978507c4ef1",nc="00000001",cnonce="0a4f113b",opaque="5ccc069c403ebaf9f0171e9517f40e41""#)
        #expect(try DigestAuthorization(headerValue: auth.headerValue) == auth)
        // RFC 2069 mode (no qop): MD5(HA1:nonce:HA2) (value from Python's hashlib).
        let legacy = DigestAuthorization(username: "Mufasa", realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", uri: "/dir/index.html", response: "")
        #expect(legacy.expectedResponse(password: "Circle Of Life", method: "GET") == "670fd8c2df070c60b045671b8b24ff02")
        #expect(legacy.headerValue == #"Digest username="Mufasa",realm="testrealm@host.com",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",uri="/dir/index.html",response="""#)
    }

    @Test func quotingEscapesOnlyBackslashAndQuote() throws {
        #expect(DigestParameters.quote(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(DigestParameters.quote("é😀,") == "\"é😀,\"")
        let odd = DigestAuthorization(username: #"us"er\"#, realm: "r é", nonce: "n", uri: "/wsman", response: "x")
        #expect(try DigestAuthorization(headerValue: odd.headerValue) == odd)
    }

    /// The HA1 a client keeps per realm is recomputed when the realm changes.
    @Test func ha1FollowsTheRealm() throws {
        var credentials = DigestCredentials(username: "admin", password: "P@ssw0rd", cnonce: { "c" })
        for realm in ["Digest:AAAA", "Digest:AAAA", "Digest:BBBB", "Digest:AAAA"] {
            credentials.accept(DigestChallenge(realm: realm, nonce: "n-\(realm)", qop: "auth"))
            let value = credentials.authorization()
            let header = try DigestAuthorization(headerValue: try #require(value))
            #expect(header.realm == realm)
            #expect(header.response == header.expectedResponse(password: "P@ssw0rd", method: "POST"))
        }
        #expect(AMTPasswordDigest.hex(username: "admin", realm: "Digest:AAAA", password: "P@ssw0rd") == MD5.hex("admin:Digest:AAAA:P@ssw0rd"))
    }
}
