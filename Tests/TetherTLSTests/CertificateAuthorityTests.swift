import TestSupport
import Foundation
import Testing
@testable import TetherTLS

@Suite("CertificateAuthority and CertificateSummary")
struct CertificateAuthorityTests {
    @Test("generated root and server certificate have the expected shape")
    func generatedShape() throws {
        let ca = try sharedAuthority.get()
        let root = try CertificateSummary(pem: ca.rootCertificatePEM)
        let server = try CertificateSummary(pem: ca.serverCertificatePEM)
        #expect(root.isCertificateAuthority)
        #expect(root.subjectCommonName?.hasPrefix("Tether Root ") == true)
        #expect(root.issuerCommonName == root.subjectCommonName)
        #expect(!server.isCertificateAuthority)
        #expect(server.subjectCommonName == "127.0.0.1")
        #expect(server.issuerCommonName == root.subjectCommonName)
        #expect(server.alternativeNames == [.ipAddress("127.0.0.1")])
        #expect(ca.commonName == "127.0.0.1")
        #expect(server.notBefore < Date())
        #expect(server.notAfter > Date().addingTimeInterval(9 * 365 * 86_400))
        #expect(root.notAfter > server.notAfter)
        #expect(ca.serverPrivateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(ca.rootPrivateKeyPEM != ca.serverPrivateKeyPEM)
    }

    @Test("the key usages match a CA and a TLS server (checked by the openssl binary)")
    func extensionsAsOpenSSLSeesThem() throws {
        let ca = try sharedAuthority.get()
        let rootText = try runOpenSSL(["x509", "-noout", "-text"], input: ca.rootCertificatePEM)
        #expect(rootText.contains("CA:TRUE"))
        #expect(rootText.contains("Certificate Sign"))
        #expect(rootText.contains("sha256WithRSAEncryption"))
        #expect(rootText.contains("Public-Key: (2048 bit)"))
        let serverText = try runOpenSSL(["x509", "-noout", "-text"], input: ca.serverCertificatePEM)
        #expect(serverText.contains("CA:FALSE"))
        #expect(serverText.contains("TLS Web Server Authentication"))
        #expect(serverText.contains("IP Address:127.0.0.1"))
        #expect(serverText.contains("Subject: O = Tether, CN = 127.0.0.1"))
    }

    @Test("DNS common names get a DNS subjectAltName; re-issue keeps the root")
    func reissue() throws {
        let ca = try sharedAuthority.get()
        let renamed = try ca.reissuingServerCertificate(commonName: "mps.example.com")
        #expect(renamed.commonName == "mps.example.com")
        #expect(renamed.rootCertificatePEM == ca.rootCertificatePEM)
        #expect(renamed.rootPrivateKeyPEM == ca.rootPrivateKeyPEM)
        #expect(renamed.serverPrivateKeyPEM != ca.serverPrivateKeyPEM)
        #expect(try renamed.rootFingerprintSHA256 == ca.rootFingerprintSHA256)
        let server = try CertificateSummary(pem: renamed.serverCertificatePEM)
        #expect(server.subjectCommonName == "mps.example.com")
        #expect(server.alternativeNames == [.dns("mps.example.com")])
        #expect(server.matches(name: "MPS.example.com"))
        #expect(!server.matches(name: "other.example.com"))
        // The re-issued pair loads back and validates against the same root.
        let reloaded = try CertificateAuthority(
            rootCertificatePEM: renamed.rootCertificatePEM, rootPrivateKeyPEM: renamed.rootPrivateKeyPEM,
            serverCertificatePEM: renamed.serverCertificatePEM, serverPrivateKeyPEM: renamed.serverPrivateKeyPEM)
        #expect(reloaded == renamed)
    }

    @Test("loading rejects a server certificate from another root and mismatched keys")
    func loadValidation() throws {
        let ca = try sharedAuthority.get()
        let stranger = try strangerAuthority.get()
        #expect(throws: TLSError.invalidCertificate("the server certificate was not signed by the root certificate")) {
            try CertificateAuthority(
                rootCertificatePEM: ca.rootCertificatePEM, rootPrivateKeyPEM: ca.rootPrivateKeyPEM,
                serverCertificatePEM: stranger.serverCertificatePEM, serverPrivateKeyPEM: stranger.serverPrivateKeyPEM)
        }
        #expect(throws: TLSError.invalidCertificate("the server private key does not match the server certificate")) {
            try CertificateAuthority(
                rootCertificatePEM: ca.rootCertificatePEM, rootPrivateKeyPEM: ca.rootPrivateKeyPEM,
                serverCertificatePEM: ca.serverCertificatePEM, serverPrivateKeyPEM: stranger.serverPrivateKeyPEM)
        }
        #expect(throws: TLSError.self) {
            try CertificateAuthority(
                rootCertificatePEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                rootPrivateKeyPEM: ca.rootPrivateKeyPEM,
                serverCertificatePEM: ca.serverCertificatePEM, serverPrivateKeyPEM: ca.serverPrivateKeyPEM)
        }
    }

    @Test("root certificate as single-line base64 DER round-trips")
    func derBase64RoundTrip() throws {
        let ca = try sharedAuthority.get()
        let field = try ca.rootCertificateDERBase64
        #expect(!field.contains("-----"))
        #expect(!field.contains("\n"))
        // Same bytes as stripping the PEM armour and whitespace by hand (what the UI does).
        let stripped = ca.rootCertificatePEM
            .replacingOccurrences(of: "-----BEGIN CERTIFICATE-----", with: "")
            .replacingOccurrences(of: "-----END CERTIFICATE-----", with: "")
            .filter { !$0.isWhitespace }
        #expect(field == stripped)
        let fromField = try CertificateSummary(derBase64: field)
        let fromPEM = try CertificateSummary(pem: ca.rootCertificatePEM)
        #expect(fromField == fromPEM)
        #expect(fromField.fingerprintSHA256.count == 64)
        #expect(try ca.rootFingerprintSHA256 == fromPEM.fingerprintSHA256)
        // The fingerprint agrees with the openssl binary's.
        let printed = try runOpenSSL(["x509", "-noout", "-fingerprint", "-sha256"], input: ca.rootCertificatePEM)
        let hex = printed.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased() }
        #expect(hex?.trimmingCharacters(in: .whitespacesAndNewlines) == fromPEM.fingerprintSHA256)
        #expect(throws: TLSError.self) { try CertificateSummary(derBase64: "not base64 !!") }
        #expect(throws: TLSError.self) { try CertificateSummary(derBase64: "AAAA") }
    }

    @Test("invalid common names are refused with a message")
    func invalidCommonNames() throws {
        let ca = try sharedAuthority.get()
        for bad in ["", "a,b", "host name", String(repeating: "a", count: 65), "DNS:evil"] {
            #expect(throws: TLSError.self) { try ca.reissuingServerCertificate(commonName: bad) }
        }
        let v6 = try ca.reissuingServerCertificate(commonName: "::1")
        let summary = try CertificateSummary(pem: v6.serverCertificatePEM)
        #expect(summary.alternativeNames == [.ipAddress("0:0:0:0:0:0:0:1")])
        #expect(summary.matches(name: "0::1"))
    }
}

/// Runs the system `openssl` binary with `input` on stdin and returns stdout.
func runOpenSSL(_ arguments: [String], input: String) throws -> String {
    let process = try SpawnedProcess("/usr/bin/openssl", arguments, stdin: .pipe, stdout: .pipe, stderr: .null)
    process.standardInput?.write(Data(input.utf8))
    try process.standardInput?.close()
    let data = process.standardOutput?.readDataToEndOfFile() ?? Data()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
