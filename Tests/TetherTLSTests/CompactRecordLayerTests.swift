import TestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TetherTLS

/// The compact record layer that replaces OpenSSL's `SSL` after a TLS 1.2 AES-GCM handshake:
/// key expansion against an independent PRF, interop with OpenSSL's record layer (our client and
/// `openssl s_client`), and refusal of tampered records and renegotiation.
@Suite("Compact TLS 1.2 AES-GCM record layer")
struct CompactRecordLayerTests {
    // MARK: Key expansion

    /// Expected key blocks computed with Python's standard-library `hmac` (RFC 5246 §5 `P_hash`,
    /// an implementation independent of OpenSSL) for master = 00 01 … 2f, client random =
    /// a0 a1 … bf, server random = 40 42 … 7e.
    @Test("the key block is RFC 5246's PRF(master, \"key expansion\", server_random + client_random)")
    func keyBlockKnownAnswer() throws {
        let master = (0..<48).map { UInt8($0) }
        let client = (0..<32).map { UInt8(0xA0 + $0) }
        let server = (0..<32).map { UInt8(0x40 + 2 * $0) }
        let aes128 = try #require(TLS12KeyExpansion.keyBlock(suite: .aes128GCM, masterSecret: master, clientRandom: client, serverRandom: server))
        #expect(hex(aes128) == "1dcc2263c8eb117f9fde85baefd0da04a9040540da75b1d4f1054907c297caad1fd24dfed6cd386a")
        let aes256 = try #require(TLS12KeyExpansion.keyBlock(suite: .aes256GCM, masterSecret: master, clientRandom: client, serverRandom: server))
        #expect(hex(aes256) == "248b91f4dbe6a2d2722ef43c16269384162a95926c27236510f839f184b6d6ed81d328625a8851725d713507e46340d8acc83b902044223e1f8fbabff52522c1f9c9ef2c3e3c4a68")

        let keys = TLS12KeyExpansion(suite: .aes128GCM, keyBlock: aes128)
        #expect(hex(keys.clientKey) == "1dcc2263c8eb117f9fde85baefd0da04")
        #expect(hex(keys.serverKey) == "a9040540da75b1d4f1054907c297caad")
        #expect(hex(keys.clientSalt) == "1fd24dfe")
        #expect(hex(keys.serverSalt) == "d6cd386a")
    }

    @Test("only TLS 1.2 AES-GCM suites qualify")
    func suites() {
        #expect(TLS12KeyExpansion.Suite(protocolID: 0xC02F) == .aes128GCM)  // ECDHE-RSA-AES128-GCM-SHA256
        #expect(TLS12KeyExpansion.Suite(protocolID: 0xC030) == .aes256GCM)  // ECDHE-RSA-AES256-GCM-SHA384
        #expect(TLS12KeyExpansion.Suite(protocolID: 0x009C) == .aes128GCM)  // AES128-GCM-SHA256
        #expect(TLS12KeyExpansion.Suite(protocolID: 0x003C) == nil)  // AES128-SHA256 (CBC)
        #expect(TLS12KeyExpansion.Suite(protocolID: 0xCCA8) == nil)  // ECDHE-RSA-CHACHA20-POLY1305
    }

    // MARK: Interop with OpenSSL's record layer

    static let cases: [(cipher: String, compact: Bool)] = [
        ("ECDHE-RSA-AES128-GCM-SHA256", true), ("ECDHE-RSA-AES256-GCM-SHA384", true), ("AES128-GCM-SHA256", true),
        ("DHE-RSA-AES256-GCM-SHA384", true), ("AES128-SHA256", false), ("ECDHE-RSA-CHACHA20-POLY1305", false),
    ]

    @Test("echo through the compact server and OpenSSL's client", arguments: cases)
    func echo(cipher: String, compact: Bool) async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        var configuration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        configuration.maximumVersion = .tls1_2
        configuration.cipherList = cipher + ":@SECLEVEL=0"
        // 40,000 bytes: three records each way (2^14 plaintext bytes per record at most).
        let payload = String(repeating: "Tether-", count: 5_715) + "!!!!!"
        let client = try await connectClient(port: server.boundPort, configuration: configuration, serverName: nil, payload: payload)
        #expect(try await client.handshake.get().cipher == cipher)
        let reply = try await client.reply.get()
        #expect(String(buffer: reply) == payload)
        let child = try #require(log.children.first)
        let usesCompact = try await child.eventLoop.submit {
            try child.pipeline.syncOperations.handler(type: OpenSSLHandler.self).usesCompactRecordLayer
        }.get()
        #expect(usesCompact == compact)

        // A second exchange on the same session (sequence numbers carry on).
        try await client.channel.writeAndFlush(ByteBuffer(string: "again")).get()
        #expect(try await eventually { log.receivedBytes == payload.utf8.count + 5 })

        // close_notify from the client: the server answers and closes, without an error.
        try await client.channel.close()
        try await child.closeFuture.get()
        #expect(log.errors.isEmpty, "server errors: \(log.errors)")
    }

    @Test("with the option off, every session stays on OpenSSL")
    func optionOff() async throws {
        var configuration = serverConfiguration()
        configuration.compactRecordLayer = false
        let (server, log) = try await startServer(configuration)
        defer { server.close(promise: nil) }
        var client = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        client.maximumVersion = .tls1_2
        let probe = try await connectClient(port: server.boundPort, configuration: client, serverName: nil, payload: "ping")
        #expect(String(buffer: try await probe.reply.get()) == "ping")
        let child = try #require(log.children.first)
        let usesCompact = try await child.eventLoop.submit {
            try child.pipeline.syncOperations.handler(type: OpenSSLHandler.self).usesCompactRecordLayer
        }.get()
        #expect(!usesCompact)
        try await probe.channel.close()
    }

    @Test("a tampered record is refused with bad_record_mac and its plaintext is never delivered")
    func tamperedRecord() async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        let tamper = RecordTamper()
        let (channel, reply) = try await connectTampering(
            port: server.boundPort, cipher: "ECDHE-RSA-AES128-GCM-SHA256", tamper: tamper, expectedBytes: 1)
        try await channel.writeAndFlush(ByteBuffer(string: "tampered in flight")).get()
        // The server answers with a fatal alert and closes: the client's read fails.
        await #expect(throws: (any Error).self) { _ = try await reply.get() }
        #expect(try await eventually { !log.errors.isEmpty })
        let message = "\(log.errors)"
        #expect(message.contains("bad_record_mac"), "server errors: \(message)")
        #expect(log.receivedBytes == 0)
        #expect(tamper.tampered)
    }

    @Test("the authentic records before a tampered one are delivered, then the session fails")
    func authenticRecordsBeforeATamperedOne() async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        let (channel, reply) = try await connectTampering(
            port: server.boundPort, cipher: "ECDHE-RSA-AES256-GCM-SHA384", tamper: RecordTamper(skip: 1), expectedBytes: 5)
        // Two records flushed together: the first is authentic, the second is not.
        channel.write(ByteBuffer(string: "first"), promise: nil)
        try await channel.writeAndFlush(ByteBuffer(string: "second")).get()
        #expect(String(buffer: try await reply.get()) == "first")
        #expect(try await eventually { "\(log.errors)".contains("bad_record_mac") }, "server errors: \(log.errors)")
        #expect(log.receivedBytes == 5)
        try await channel.closeFuture.get()
    }

    @Test("s_client: a renegotiation is refused as OpenSSL's own server refuses it; the server keeps serving")
    func sClientRenegotiation() async throws {
        let (server, log) = try await startServer(serverConfiguration())
        defer { server.close(promise: nil) }
        let arguments = ["s_client", "-connect", "127.0.0.1:\(server.boundPort)", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]
        // Interactive: "R" at the start of a line asks s_client to renegotiate (commands are
        // off with -ign_eof, so stdin stays open until the end instead).
        let process = try SpawnedProcess("/usr/bin/openssl", arguments, stdin: .pipe, stdout: .pipe, stderr: .stdout)
        let output = OutputCollector(process.standardOutput!)
        defer { process.signal(SIGTERM) }
        try process.standardInput?.write(contentsOf: Data("hello\n".utf8))
        #expect(try await eventually(seconds: 10) { output.text.contains("\nhello\n") }, "s_client output:\n\(output.text)")
                try process.standardInput?.write(contentsOf: Data("R\n".utf8))
        #expect(try await eventually(seconds: 10) { output.text.contains("RENEGOTIATING") }, "s_client output:\n\(output.text)")
        #expect(try await eventually(seconds: 10) { output.text.contains("no renegotiation") }, "s_client output:\n\(output.text)")
        // OpenSSL's client gives up on our no_renegotiation warning (as against OpenSSL's own
        // server with SSL_OP_NO_RENEGOTIATION); either way the session never renegotiates.
        try? process.standardInput?.close()
        _ = await process.exited()
        #expect(log.events.count == 1)
        #expect(!log.errors.contains { "\($0)".contains("bad_record_mac") }, "server errors: \(log.errors)")
        // A fresh connection is served as before.
        var client = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        client.maximumVersion = .tls1_2
        let probe = try await connectClient(port: server.boundPort, configuration: client, serverName: nil, payload: "second")
        #expect(String(buffer: try await probe.reply.get()) == "second")
        #expect(log.events.count == 2)
        try await probe.channel.close()
    }

    /// A TLS 1.2 client offering only `cipher`, with `tamper` between its TLS handler and the
    /// socket; returns once the handshake is done, with the future of `expectedBytes` of reply.
    private func connectTampering(
        port: Int, cipher: String, tamper: RecordTamper, expectedBytes: Int
    ) async throws -> (Channel, EventLoopFuture<ByteBuffer>) {
        var configuration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        configuration.maximumVersion = .tls1_2
        configuration.cipherList = cipher
        let client = try await connectClient(
            port: port, configuration: configuration, serverName: nil, payload: nil, expectedBytes: expectedBytes,
            socketSide: tamper)
        _ = try await client.handshake.get()
        return (client.channel, client.reply)
    }

    private func serverConfiguration() -> TLSConfiguration {
        let ca = try! sharedAuthority.get()
        return TLSConfiguration.server(
            profile: .legacy, certificateChainPEM: ca.serverCertificateChainPEM, privateKeyPEM: ca.serverPrivateKeyPEM,
            requestClientCertificate: true)
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

/// Flips the last byte (inside the GCM tag) of the first application-data record written after
/// the handshake: the network-side neighbour of the client's TLS handler.
final class RecordTamper: ChannelOutboundHandler, @unchecked Sendable {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    // Used on one event loop only (the channel's); `tampered` is read after the exchange.
    private(set) var tampered = false
    /// Application-data records passed through untouched before the one tampered with.
    private var skip: Int

    init(skip: Int = 0) { self.skip = skip }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        let isData = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 23 && buffer.readableBytes > 5
        if !tampered, isData, skip > 0 {
            skip -= 1
        } else if !tampered, isData {
            let last = buffer.writerIndex - 1
            buffer.setInteger(buffer.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)
            tampered = true
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }
}

/// Collects a child's output on a thread of its own.
final class OutputCollector: @unchecked Sendable {
    // `lock` guards `data`, written by the reader thread and read by the test.
    private let lock = NSLock()
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.withLock { data.append(chunk) }
            }
        }.start()
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
