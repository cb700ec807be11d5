import Foundation
import Testing
@testable import TetherCore

/// Known-answer vectors from the RFCs for the host's own crypto (token signing and the admin
/// password hash). Each expected value is the RFC's, not one computed by this code.
@Suite struct CryptoVectorTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    struct HMACVector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let expected: String
        var testDescription: String { name }
    }

    /// RFC 4231 §4.2–4.8 (test case 5, a truncated output, does not apply to a full HMAC).
    static let hmacVectors: [HMACVector] = [
        HMACVector(
            name: "test case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(
            name: "test case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(
            name: "test case 3", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
            expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(
            name: "test case 4", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
            expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector(
            name: "test case 6", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(
            name: "test case 7", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: hmacVectors)
    func hmacSHA256MatchesRFC4231(vector: HMACVector) {
        #expect(hex(SHA256Digest.hmac(key: vector.key, message: vector.data)) == vector.expected)
    }

    /// RFC 7914 §11, PBKDF2-HMAC-SHA256: the host derives 32 bytes, the first block of the
    /// RFC's 64-byte outputs.
    @Test(arguments: [
        ("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"),
        ("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"),
    ])
    func pbkdf2MatchesRFC7914(password: String, salt: String, iterations: Int, expected: String) {
        let derived = SHA256Digest.pbkdf2(password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations)
        #expect(hex(derived) == expected)
    }

    /// RFC 7515 Appendix A.1: the HS256 signature of the RFC's JWS signing input under its key,
    /// base64url-encoded as a token's third part.
    @Test func jwsHS256MatchesRFC7515AppendixA1() throws {
        let key = try #require(Base64URL.decode(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"))
        let signingInput = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        let signature = Base64URL.encode(SHA256Digest.hmac(key: key, message: Array(signingInput.utf8)))
        #expect(signature == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        // The RFC's header and claims (with their CRLF whitespace) decode as the token parts.
        #expect(Base64URL.decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9").map { String(decoding: $0, as: UTF8.self) }
            == "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
    }
}

/// base64url (RFC 4648 §5, unpadded as RFC 7515 uses it): every length round-trips; stray
/// characters, padding and impossible lengths are refused.
@Suite struct Base64URLTests {
    @Test func roundTripsEveryLengthAndMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
            #expect(Base64URL.decode(Substring(encoded)) == bytes)
        }
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")  // RFC 4648 §10, unpadded
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
    }

    @Test func refusesWhatIsNotBase64URL() {
        for bad in ["Zg==", "Z", "Zm9v+", "Zm9v/", "Zm 9v", "Zh"] {
            #expect(Base64URL.decode(Substring(bad)) == nil, "\(bad)")
        }
    }
}
