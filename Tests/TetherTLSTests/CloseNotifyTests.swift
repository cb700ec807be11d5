import NIOCore
import NIOEmbedded
import Testing
@testable import TetherTLS

/// `close` and `close_notify`, on two in-memory channels that shuttle each other's records.
@Suite("close_notify on close")
struct CloseNotifyTests {
    /// A server and a client handler with a finished TLS 1.2 handshake (the compact record
    /// layer on the server, as CIRA runs it).
    private func connectedPair() throws -> (server: EmbeddedChannel, client: EmbeddedChannel) {
        let ca = try sharedAuthority.get()
        let server = EmbeddedChannel()
        let client = EmbeddedChannel()
        var clientConfiguration = TLSConfiguration.client(profile: .legacy, verification: .insecure)
        clientConfiguration.maximumVersion = .tls1_2
        try server.pipeline.syncOperations.addHandler(OpenSSLHandler(context: TLSContext(configuration: .server(
            profile: .legacy, certificateChainPEM: ca.serverCertificateChainPEM, privateKeyPEM: ca.serverPrivateKeyPEM))))
        try client.pipeline.syncOperations.addHandler(OpenSSLHandler(context: TLSContext(configuration: clientConfiguration)))
        server.pipeline.fireChannelActive()
        client.pipeline.fireChannelActive()
        for _ in 0..<10 {
            let toServer = try shuttle(from: client, to: server)
            let toClient = try shuttle(from: server, to: client)
            if !toServer && !toClient { break }
        }
        let handler = try server.pipeline.syncOperations.handler(type: OpenSSLHandler.self)
        #expect(handler.usesCompactRecordLayer)
        return (server, client)
    }

    /// Moves everything `from` wrote into `to`; false when there was nothing.
    @discardableResult
    private func shuttle(from: EmbeddedChannel, to: EmbeddedChannel) throws -> Bool {
        var moved = false
        while let buffer = try from.readOutbound(as: ByteBuffer.self) {
            moved = true
            try to.writeInbound(buffer)
        }
        return moved
    }

    /// Every byte `channel` wrote since the last read.
    private func written(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += Array(buffer.readableBytesView) }
        return bytes
    }

    @Test("a close after the handshake sends close_notify (one alert record)")
    func closeSendsCloseNotify() throws {
        let (server, client) = try connectedPair()
        _ = try written(server)
        try server.close().wait()
        let record = try written(server)
        #expect(record.first == 21)  // an alert record
        #expect(record.count == 5 + 2 + 8 + 16)  // header, alert, explicit nonce, GCM tag
        _ = try? client.finish()
    }

    @Test("after the socket failed (a reset peer), close writes nothing")
    func noCloseNotifyAfterReset() throws {
        let (server, client) = try connectedPair()
        _ = try written(server)
        server.pipeline.fireErrorCaught(IOError(errnoCode: 104, reason: "read(descriptor:pointer:size:)"))
        try server.close().wait()
        #expect(try written(server).isEmpty)
        _ = try? client.finish()
    }
}
