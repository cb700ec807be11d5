import Foundation
import NIOCore
import NIOPosix
import TetherJSON
import TetherTLS
import Testing

/// Issue 12 item 4: the HTTPS listener (and so `/activate` over wss) follows a server
/// certificate re-issue without a restart.
@Suite("HTTPS follows a server certificate re-issue", .serialized)
struct HTTPSCertificateReloadTests {
    @Test("a CIRA config with a new server name: a fresh TLS client to the HTTPS port verifying that name now succeeds")
    func httpsUsesTheReissuedCertificate() async throws {
        let bed = try await ActivationHost.start(httpsPort: true)
        defer { Task { await bed.stop() } }
        let port = try #require(bed.host.httpsPort)
        let root = try #require(bed.host.certificateAuthority?.rootCertificatePEM)
        let name = "reissue-\(UUID().uuidString.prefix(8).lowercased()).example.com"

        let before = await Self.handshake(port: port, rootPEM: root, serverName: name)
        #expect(before == false, "the default certificate must not cover \(name) yet")
        #expect(await Self.handshake(port: port, rootPEM: root, serverName: "127.0.0.1"))

        _ = try await bed.run("ciraconfigs.create", [
            "configName": "reissue-https", "mpsServerAddress": .string(name), "serverAddressFormat": 201,
            "mpsPort": .int(Int64(bed.ciraPort)), "username": "admin01", "authMethod": 2,
        ])
        #expect(bed.host.certificateAuthority?.serverCertificateCovers(name) == true)
        #expect(bed.host.httpsPort == port, "same listener, no restart")
        #expect(await Self.handshake(port: port, rootPEM: root, serverName: name), "new connections get the re-issued certificate")
        #expect(await Self.handshake(port: port, rootPEM: root, serverName: "127.0.0.1"), "the old names are still covered")
    }

    /// Whether a TLS client trusting only `rootPEM` and checking `serverName` completes a
    /// handshake with the HTTPS port (bounded: 15 s).
    static func handshake(port: Int, rootPEM: String, serverName: String) async -> Bool {
        guard let context = try? TLSContext(configuration: .client(profile: .modern, verification: .verify(trustRootsPEM: rootPEM))) else {
            return false
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Bool.self)
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: context, serverName: serverName))
                        try channel.pipeline.syncOperations.addHandler(HandshakeProbe(result: promise))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            let timeout = group.next().scheduleTask(in: .seconds(15)) { promise.succeed(false) }
            let result = (try? await promise.futureResult.get()) ?? false
            timeout.cancel()
            try? await channel.close()
            return result
        } catch {
            promise.succeed(false)
            return false
        }
    }
}

/// Completes `result` with true on the handshake event, false on an error or a close first.
private final class HandshakeProbe: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let result: EventLoopPromise<Bool>

    init(result: EventLoopPromise<Bool>) {
        self.result = result
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted { result.succeed(true) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        result.succeed(false)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        result.succeed(false)
        context.fireChannelInactive()
    }
}
