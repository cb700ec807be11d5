import Testing
import Foundation
import TetherJSON
import WSMan

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

    /// Regression (found by `json-fuzz`): `9223372036185477580.1` parses as a double whose
    /// shortest text, `9.223372036185477e+18`, parses back as the integer 9223372036185477000 —
    /// the same number as a double, another representation, so the encoding only settles after
    /// the second round trip. The harness now compares numbers by value.
    @Test func integralDoubleSurvivesARoundTrip() throws {
        let value = try JSONValue(parsing: "[9223372036185477580.1,\"x\"]")
        let again = try JSONValue(parsing: value.encodedBytes())
        #expect(JSONValueHarness.equivalent(value, again))
        #expect(again.arrayValue?.first?.doubleValue == 9_223_372_036_185_477_580.1)
        let bytes = Array("[9223372036185477580.1,\"x\"]".utf8)
        bytes.withUnsafeBufferPointer(JSONValueHarness.run)
    }

    /// Finding of the `digest` run (December 2026, after 1.25 M runs): a nonce of tabs followed by
    /// U+0656 (a combining mark) and backslashes. The parser split on Characters, so the tab and
    /// the mark formed one grapheme cluster and the value changed across a render-and-parse round
    /// trip. It now works on Unicode scalars. The input is the seed
    /// `corpus/digest/regression-combining-mark-after-tab`.
    @Test func combiningMarkAfterADelimiterSurvivesARoundTrip() throws {
        let challenge = try DigestChallenge(headerValue: "Digest realm=\"X\", nonce=\t\tab\t\u{0656}t\\\\c\t")
        #expect(challenge.nonce.unicodeScalars.elementsEqual("ab\t\u{0656}t\\\\c".unicodeScalars))
        let again = try DigestChallenge(headerValue: challenge.headerValue)
        #expect(again.nonce.unicodeScalars.elementsEqual(challenge.nonce.unicodeScalars))
        let seed = try Array(Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpus/digest/regression-combining-mark-after-tab")))
        seed.withUnsafeBufferPointer(DigestChallengeHarness.run)
    }
}
