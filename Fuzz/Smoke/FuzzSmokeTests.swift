import Testing

/// A seconds-long run of each libFuzzer harness in the suite (CI runs it): the committed seed
/// corpus plus deterministic mutations, in-process, one target at a time. The long runs are `Fuzz/build.sh NAME`.
@Suite(.serialized) struct FuzzSmokeTests {
    @Test func xmlParser() async throws {
        let runs = try await smokeRun(corpus: "xml", tokens: ["<", ">", "</", "/>", "=\"", "&amp;", "&#x", "<![CDATA[", "]]>", "<!--", "xmlns:", "<?xml "]) {
            XMLParserHarness.run($0)
        }
        #expect(runs > 12)
    }

    @Test func httpResponseParser() async throws {
        let runs = try await smokeRun(corpus: "http", tokens: ["\r\n", "HTTP/1.1 ", "Content-Length: ", "Transfer-Encoding: chunked", "0\r\n\r\n", "ffffffff\r\n", ": "]) {
            HTTPResponseHarness.run($0)
        }
        #expect(runs > 12)
    }

    @Test func digestChallengeParser() async throws {
        let runs = try await smokeRun(corpus: "digest", tokens: ["Digest ", "realm=", "nonce=", "qop=", "\"", "\\\"", ",", "algorithm=MD5", "stale=true"]) {
            DigestChallengeHarness.run($0)
        }
        #expect(runs > 12)
    }

    @Test func jsonCodec() async throws {
        let runs = try await smokeRun(corpus: "json", tokens: ["{", "}", "[", "]", "\"", ":", ",", "\\u", "1e999", "-0", "null", "true"]) {
            JSONValueHarness.run($0)
        }
        #expect(runs > 12)
    }
}
