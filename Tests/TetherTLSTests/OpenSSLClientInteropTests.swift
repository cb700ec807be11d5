import TestSupport
import Foundation
import NIOCore
import Testing
@testable import TetherTLS

/// One `openssl s_client` scenario against the legacy (CIRA) server profile.
struct ClientScenario: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let protocolVersion: String
    let cipher: String
    var testDescription: String { arguments.joined(separator: " ") }
}

@Suite("openssl s_client against the legacy server profile")
struct OpenSSLClientInteropTests {
    static let scenarios = [
        ClientScenario(arguments: ["-tls1", "-cipher", "AES128-SHA:@SECLEVEL=0"], protocolVersion: "TLSv1", cipher: "AES128-SHA"),
        ClientScenario(arguments: ["-tls1_2", "-cipher", "AES128-SHA256"], protocolVersion: "TLSv1.2", cipher: "AES128-SHA256"),
        ClientScenario(arguments: ["-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"], protocolVersion: "TLSv1.2", cipher: "DHE-RSA-AES128-GCM-SHA256"),
        ClientScenario(arguments: ["-tls1_3"], protocolVersion: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384"),
    ]

    @Test("handshake, negotiated suite and echoed data", arguments: scenarios)
    func sClient(_ scenario: ClientScenario) async throws {
        let ca = try sharedAuthority.get()
        let configuration = TLSConfiguration.server(
            profile: .legacy, certificateChainPEM: ca.serverCertificateChainPEM,
            privateKeyPEM: ca.serverPrivateKeyPEM, requestClientCertificate: true)
        let (server, log) = try await startServer(configuration, closeAfterFirstEcho: true)
        defer { server.close(promise: nil) }

        let output = try await runSClient(
            ["s_client", "-connect", "127.0.0.1:\(server.boundPort)", "-ign_eof"] + scenario.arguments,
            input: "ping-\(scenario.cipher)\n")
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // "New, TLSv1.2, Cipher is AES128-SHA256" (s_client names the suite's own version there).
        #expect(lines.contains { $0.hasPrefix("New, ") && $0.hasSuffix("Cipher is \(scenario.cipher)") },
                "s_client output:\n\(output)")
        if scenario.protocolVersion != "TLSv1.3" {
            #expect(lines.contains("Protocol  : \(scenario.protocolVersion)"), "s_client output:\n\(output)")
        }
        #expect(lines.contains("ping-\(scenario.cipher)"), "no echo in s_client output:\n\(output)")

        #expect(try await eventually { log.events.count == 1 })
        #expect(log.events.first?.protocolVersion == scenario.protocolVersion)
        #expect(log.events.first?.cipher == scenario.cipher)
        #expect(log.errors.isEmpty, "server errors: \(log.errors)")
    }

    @Test("a client certificate is requested and accepted without validation")
    func clientCertificateAccepted() async throws {
        let ca = try sharedAuthority.get()
        // The client presents a certificate from a root the server knows nothing about.
        let stranger = try strangerAuthority.get().reissuingServerCertificate(commonName: "amt-device.local")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certFile = directory.appendingPathComponent("client.pem")
        let keyFile = directory.appendingPathComponent("client.key")
        try stranger.serverCertificatePEM.write(to: certFile, atomically: true, encoding: .utf8)
        try stranger.serverPrivateKeyPEM.write(to: keyFile, atomically: true, encoding: .utf8)

        let configuration = TLSConfiguration.server(
            profile: .legacy, certificateChainPEM: ca.serverCertificateChainPEM,
            privateKeyPEM: ca.serverPrivateKeyPEM, requestClientCertificate: true)
        let (server, log) = try await startServer(configuration, closeAfterFirstEcho: true)
        defer { server.close(promise: nil) }
        let output = try await runSClient(
            ["s_client", "-connect", "127.0.0.1:\(server.boundPort)", "-ign_eof", "-tls1_2",
             "-cert", certFile.path, "-key", keyFile.path],
            input: "with-cert\n")
        #expect(output.contains("\nwith-cert"), "s_client output:\n\(output)")
        #expect(try await eventually { log.events.count == 1 })
        #expect(log.events.first?.peerCertificateCN == "amt-device.local")
        #expect(log.errors.isEmpty)
    }

    /// The security review found AES128-SHA, AES256-SHA, AES128-SHA256 and AES128-GCM-SHA256 (no
    /// forward secrecy) accepted by the HTTPS profile.
    @Test("the modern profile offers only ECDHE with AEAD", arguments: [
        ("AES128-SHA", false), ("AES256-SHA", false), ("AES128-SHA256", false), ("AES128-GCM-SHA256", false),
        ("DHE-RSA-AES128-GCM-SHA256", false), ("ECDHE-RSA-AES128-SHA", false),
        ("ECDHE-RSA-AES128-GCM-SHA256", true), ("ECDHE-RSA-CHACHA20-POLY1305", true),
    ])
    func modernSuites(cipher: String, accepted: Bool) async throws {
        let ca = try sharedAuthority.get()
        let configuration = TLSConfiguration.server(
            profile: .modern, certificateChainPEM: ca.serverCertificateChainPEM, privateKeyPEM: ca.serverPrivateKeyPEM)
        let (server, _) = try await startServer(configuration, closeAfterFirstEcho: true)
        defer { server.close(promise: nil) }
        let output = try await runSClient(
            ["s_client", "-connect", "127.0.0.1:\(server.boundPort)", "-ign_eof", "-tls1_2", "-cipher", cipher],
            input: "ping\n")
        #expect(output.contains("Cipher is \(cipher)") == accepted, "s_client output:\n\(output)")
    }

    @Test("s_client -tls1 is refused by the modern profile")
    func modernRefusesSClientTLS1() async throws {
        let ca = try sharedAuthority.get()
        let configuration = TLSConfiguration.server(
            profile: .modern, certificateChainPEM: ca.serverCertificateChainPEM, privateKeyPEM: ca.serverPrivateKeyPEM)
        let (server, log) = try await startServer(configuration, closeAfterFirstEcho: true)
        defer { server.close(promise: nil) }
        let output = try await runSClient(
            ["s_client", "-connect", "127.0.0.1:\(server.boundPort)", "-ign_eof", "-tls1", "-cipher", "ALL:@SECLEVEL=0"],
            input: "ping\n")
        #expect(!output.contains("\nping"))
        #expect(try await eventually { !log.errors.isEmpty })
        #expect(log.events.isEmpty)
        guard case .handshakeFailed(let detail)? = log.errors.first as? TLSError else {
            Issue.record("server saw \(log.errors)")
            return
        }
        #expect(detail.contains("unsupported protocol"))
    }
}

/// Runs `openssl` with `arguments`, writes `input` to its stdin and closes it, waits for it to
/// exit (killing it after `timeout` seconds) and returns stdout + stderr.
func runSClient(_ arguments: [String], input: String, timeout: Double = 10) async throws -> String {
    let process = try SpawnedProcess("/usr/bin/openssl", arguments, stdin: .pipe, stdout: .pipe, stderr: .stdout)
    process.standardInput?.write(Data(input.utf8))
    try? process.standardInput?.close()
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { process.signal(SIGTERM) }
    // Read on a thread of its own (never a pool thread): the output ends when openssl exits.
    let data = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
        Thread { continuation.resume(returning: process.standardOutput?.readDataToEndOfFile() ?? Data()) }.start()
    }
    _ = await process.exited()
    return String(decoding: data, as: UTF8.self)
}
