import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TetherTLS

@Suite("OpenSSLHandler between our own server and client")
struct HandshakeTests {
    private func serverConfiguration(_ profile: TLSProfile = .legacy, requestClientCertificate: Bool = false) throws -> TLSConfiguration {
        let ca = try sharedAuthority.get()
        return .server(
            profile: profile, certificateChainPEM: ca.serverCertificateChainPEM,
            privateKeyPEM: ca.serverPrivateKeyPEM, requestClientCertificate: requestClientCertificate)
    }

    @Test("echo round trip with a verified server (CA root, matching CN)")
    func verifiedEcho() async throws {
        let ca = try sharedAuthority.get()
        let (server, log) = try await startServer(serverConfiguration(requestClientCertificate: true))
        defer { server.close(promise: nil) }
        let client = try await connectClient(
            port: server.boundPort,
            configuration: .client(profile: .modern, verification: .verify(trustRootsPEM: ca.rootCertificatePEM)),
            serverName: "127.0.0.1",
            payload: "ping from client")
        let done = try await client.handshake.get()
        #expect(done.protocolVersion == "TLSv1.3")
        #expect(done.peerCertificateCN == "127.0.0.1")
        let reply = try await client.reply.get()
        #expect(String(buffer: reply) == "ping from client")
        #expect(try await eventually { log.events.count == 1 })
        #expect(log.events.first?.protocolVersion == "TLSv1.3")
        #expect(log.events.first?.cipher == done.cipher)
        // The client presented no certificate; the server only requested one.
        #expect(log.events.first?.peerCertificateCN == nil)
        try await client.channel.close()
        // Our close_notify makes the server close its side cleanly, with no error.
        #expect(try await eventually { log.children.allSatisfy { !$0.isActive } })
        #expect(log.errors.isEmpty)
    }

    @Test("large payload both ways on TLS 1.2; idle memory BIOs are released")
    func largePayload() async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        var configuration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        configuration.maximumVersion = .tls1_2
        let payload = String(repeating: "0123456789abcdef", count: 20_000)  // 320 000 bytes
        let client = try await connectClient(
            port: server.boundPort, configuration: configuration, serverName: nil, payload: payload)
        #expect(try await client.handshake.get().protocolVersion == "TLSv1.2")
        let reply = try await client.reply.get()
        #expect(reply.readableBytes == payload.utf8.count)
        #expect(String(buffer: reply) == payload)
        let child = try #require(log.children.first)
        let capacities = try await child.eventLoop.submit {
            try child.pipeline.syncOperations.handler(type: OpenSSLHandler.self).bioCapacities
        }.get()
        #expect(capacities.read <= OpenSSLHandler.idleBIOCapacityLimit)
        #expect(capacities.write <= OpenSSLHandler.idleBIOCapacityLimit)
        try await client.channel.close()
    }

    @Test("wrong expected name fails with both names in the message")
    func wrongName() async throws {
        let ca = try sharedAuthority.get()
        let (server, _) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        let client = try await connectClient(
            port: server.boundPort,
            configuration: .client(profile: .legacy, verification: .verify(trustRootsPEM: ca.rootCertificatePEM)),
            serverName: "mps.example.com",
            payload: "never delivered")
        let error = await #expect(throws: TLSError.self) { try await client.handshake.get() }
        guard case .certificateNameMismatch(let expected, let presented, let sans) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(expected == "mps.example.com")
        #expect(presented == "127.0.0.1")
        #expect(sans == ["IP:127.0.0.1"])
        #expect(error?.message.contains("expected CN 'mps.example.com'") == true)
        #expect(error?.message.contains("CN '127.0.0.1'") == true)
        try await client.channel.closeFuture.get()
    }

    @Test("a certificate from another root is untrusted", arguments: [true, false])
    func untrustedRoot(serverSendsRoot: Bool) async throws {
        let ca = try sharedAuthority.get()
        let stranger = try strangerAuthority.get()
        let configuration = TLSConfiguration.server(
            profile: .legacy,
            certificateChainPEM: serverSendsRoot ? ca.serverCertificateChainPEM : ca.serverCertificatePEM,
            privateKeyPEM: ca.serverPrivateKeyPEM)
        let (server, _) = try await startServer(configuration)
        defer { server.close(promise: nil) }
        let client = try await connectClient(
            port: server.boundPort,
            configuration: .client(profile: .legacy, verification: .verify(trustRootsPEM: stranger.rootCertificatePEM)),
            serverName: "127.0.0.1",
            payload: nil)
        let error = await #expect(throws: TLSError.self) { try await client.handshake.get() }
        guard case .certificateUntrusted(let subject, let issuer, let reason) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        let root = try CertificateSummary(pem: ca.rootCertificatePEM).subjectCommonName
        if serverSendsRoot {
            // The chain ends in a self-signed root the client does not trust.
            #expect(subject == root)
            #expect(reason == "self-signed certificate in certificate chain")
        } else {
            #expect(subject == "127.0.0.1")
            #expect(issuer == root)
            #expect(reason == "unable to get local issuer certificate")
        }
        #expect(error?.message.hasPrefix("Untrusted certificate") == true)
        try await client.channel.closeFuture.get()
    }

    @Test("the modern profile refuses a TLS 1.0 client")
    func modernRefusesTLS10() async throws {
        let (server, log) = try await startServer(serverConfiguration(.modern))
        defer { server.close(promise: nil) }
        var configuration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        configuration.maximumVersion = .tls1_0
        let client = try await connectClient(
            port: server.boundPort, configuration: configuration, serverName: nil, payload: "x")
        let error = await #expect(throws: TLSError.self) { try await client.handshake.get() }
        guard case .handshakeFailed(let detail) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(detail.contains("protocol version"))
        #expect(try await eventually { !log.errors.isEmpty })
        let serverError = log.errors.first as? TLSError
        guard case .handshakeFailed(let serverDetail) = serverError else {
            Issue.record("server saw \(String(describing: log.errors))")
            return
        }
        #expect(serverDetail.contains("unsupported protocol"))
    }

    @Test("the legacy profile negotiates TLS 1.0 with our own client")
    func legacyAcceptsTLS10() async throws {
        let (server, _) = try await startServer(serverConfiguration(.legacy))
        defer { server.close(promise: nil) }
        var configuration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        configuration.maximumVersion = .tls1_0
        configuration.cipherList = "AES128-SHA:@SECLEVEL=0"
        let client = try await connectClient(
            port: server.boundPort, configuration: configuration, serverName: nil, payload: "old firmware")
        let done = try await client.handshake.get()
        #expect(done.version == .tls1_0)
        #expect(done.cipher == "AES128-SHA")
        #expect(String(buffer: try await client.reply.get()) == "old firmware")
        try await client.channel.close()
    }

    @Test("garbage instead of a ClientHello: TLSError, closed channel, no crash")
    func garbageClientHello() async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        let raw = try await ClientBootstrap(group: testGroup)
            .connect(host: "127.0.0.1", port: server.boundPort).get()
        try await raw.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n" + String(repeating: "\u{1}\u{ff}", count: 300)))
        // The server closes on us.
        try await raw.closeFuture.get()
        #expect(try await eventually { !log.errors.isEmpty })
        guard case .handshakeFailed(let detail)? = log.errors.first as? TLSError else {
            Issue.record("server saw \(String(describing: log.errors))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(try await eventually { log.children.allSatisfy { !$0.isActive } })
    }

    @Test("bad configuration is reported, not trapped")
    func badConfiguration() throws {
        let ca = try sharedAuthority.get()
        var configuration = try serverConfiguration()
        configuration.cipherList = "NOT-A-CIPHER"
        #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
        let mismatched = TLSConfiguration.server(
            profile: .legacy, certificateChainPEM: ca.serverCertificatePEM, privateKeyPEM: ca.rootPrivateKeyPEM)
        #expect(throws: TLSError.self) { try TLSContext(configuration: mismatched) }
        let garbage = TLSConfiguration.server(profile: .legacy, certificateChainPEM: "nope", privateKeyPEM: "nope")
        #expect(throws: TLSError.self) { try TLSContext(configuration: garbage) }
    }
}
