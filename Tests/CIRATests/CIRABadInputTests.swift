import AMTSimulator
import APF
import CIRA
import Foundation
import Logging
import Testing
import TestSupport

/// Hostile or broken peers: each offending connection is closed, and a healthy device keeps
/// working alongside.
@Suite(.serialized) struct CIRABadInputTests {
    static let healthyUUID = testUUID(100)

    private func bedWithHealthyDevice(settings: CIRASettings = CIRASettings()) async throws -> (CIRATestBed, SimulatedDevice) {
        let bed = try await CIRATestBed.start(settings: settings, accounts: [Self.healthyUUID.guidString: ("admin01", "P@ssw0rd-device")])
        let device = try bed.device(uuid: Self.healthyUUID)
        device.start()
        #expect(await device.waitUntilConnected() == .connected)
        return (bed, device)
    }

    private func expectHealthy(_ bed: CIRATestBed) async throws {
        let session = try #require(bed.server.session(for: Self.healthyUUID.guidString))
        let stream = try await session.openChannel(port: 16992)
        try await stream.write([9, 8, 7])
        #expect(await stream.read() == [9, 8, 7])
        stream.close()
    }

    private func versionMessage(_ n: Int) -> [UInt8] {
        APFMessage.protocolVersion(APFProtocolVersion(major: 1, minor: 0, triggerReason: .periodic, uuid: testUUID(n))).encodedBytes
    }

    @Test func garbageInsteadOfTLSIsClosed() async throws {
        let (bed, device) = try await bedWithHealthyDevice()
        let client = try await RawClient.connect(port: bed.port, tls: false)
        try await client.send(Array("this is not a TLS ClientHello at all\r\n\r\n".utf8) + [UInt8](repeating: 0x41, count: 300))
        #expect(await client.waitForClose())
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }

    @Test func tlsThenGarbageIsAProtocolError() async throws {
        let (bed, device) = try await bedWithHealthyDevice()
        let client = try await RawClient.connect(port: bed.port, tls: true)
        try await client.send([0xEE, 0x01, 0x02, 0x03, 0x04, 0x05])
        #expect(await client.waitForClose())
        // The server said why before closing: DISCONNECT with PROTOCOL_ERROR.
        var decoder = APFDecoder()
        decoder.append(client.received)
        #expect(try decoder.next() == .disconnect(reason: .protocolError))
        #expect(bed.server.metrics.snapshot["protocol_errors"] == 1)
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }

    /// A peer that leaves without a byte of APF (a TCP or TLS health check, a scanner, `openssl
    /// s_time`) gets one info line; one that sends bad APF gets a warning.
    @Test func tlsHealthChecksAreInfoAndBadDevicesWarnings() async throws {
        let log = CapturedLog()
        let bed = try await CIRATestBed.start(logger: log.logger(label: "cira-test"))
        // The messages logged at `level` (`CapturedLog` keeps "<level> <message> <metadata>").
        func messages(at level: Logger.Level) -> [String] {
            log.lines.withLock { $0 }.filter { $0.hasPrefix("\(level) ") }.map { String($0.dropFirst("\(level) ".count)) }
        }
        // A full handshake, then a reset without a byte of APF; a full handshake and a clean close;
        // a TCP connection closed before TLS.
        let check = try await RawClient.connect(port: bed.port, tls: true)
        await check.reset()
        let polite = try await RawClient.connect(port: bed.port, tls: true)
        await polite.close()
        let tcp = try await RawClient.connect(port: bed.port, tls: false)
        await tcp.close()
        #expect(await eventually { messages(at: .info).filter { $0.hasPrefix("closing connection") }.count == 3 },
                "\(log.text)")
        #expect(messages(at: .warning).isEmpty, "\(messages(at: .warning))")
        #expect(await eventually { bed.server.metrics.snapshot["handshakes_failed"] == 3 })
        let garbage = try await RawClient.connect(port: bed.port, tls: true)
        try await garbage.send([0xEE, 0x01, 0x02, 0x03, 0x04, 0x05])
        #expect(await garbage.waitForClose())
        #expect(await eventually { messages(at: .warning).contains { $0.contains("malformed APF") } }, "\(log.text)")
        #expect(await eventually { bed.server.metrics.snapshot["handshakes_failed"] == 4 })
        #expect(messages(at: .warning).count == 1)
        await bed.server.stop()
    }

    @Test func hugeLengthFieldFailsAtOnce() async throws {
        let (bed, device) = try await bedWithHealthyDevice()
        let client = try await RawClient.connect(port: bed.port, tls: true)
        // SERVICE_REQUEST claiming a 4 GB service name: refused as soon as the length is read.
        try await client.send(versionMessage(101) + [0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x61])
        #expect(await client.waitForClose())
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }

    @Test func overlongStringIsRefused() async throws {
        let (bed, device) = try await bedWithHealthyDevice()
        let client = try await RawClient.connect(port: bed.port, tls: true)
        let name = [UInt8](repeating: 0x61, count: 5000)
        var bytes = versionMessage(102) + [0x05]
        withUnsafeBytes(of: UInt32(name.count).bigEndian) { bytes += $0 }
        try await client.send(bytes + name)
        #expect(await client.waitForClose())
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }

    @Test(arguments: [
        // A channel open before authentication.
        APFMessage.channelOpenConfirmation(recipientChannel: 4, senderChannel: 0, initialWindowSize: 4096),
        // A port forward before authentication.
        APFMessage.globalRequest(.tcpipForward(address: "", port: 16992), wantReply: true),
        // The port-forwarding service before authentication.
        APFMessage.serviceRequest(service: APFServiceName.portForwarding),
        // A message only a server sends.
        APFMessage.userAuthSuccess,
    ])
    func messagesOutOfOrderCloseTheConnection(message: APFMessage) async throws {
        let (bed, device) = try await bedWithHealthyDevice()
        let client = try await RawClient.connect(port: bed.port, tls: true)
        try await client.send(versionMessage(103) + APFMessage.serviceRequest(service: APFServiceName.authentication).encodedBytes + message.encodedBytes)
        #expect(await client.waitForClose())
        var decoder = APFDecoder()
        decoder.append(client.received)
        #expect(try decoder.next() == .serviceAccept(service: APFServiceName.authentication))
        #expect(try decoder.next() == .disconnect(reason: .protocolError))
        #expect(bed.server.session(for: testUUID(103).guidString) == nil)
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }

    @Test func floodFromOneAddressIsCapped() async throws {
        var settings = CIRASettings()
        settings.maxPendingHandshakesPerAddress = 5
        let (bed, device) = try await bedWithHealthyDevice(settings: settings)
        var clients: [RawClient] = []
        for _ in 0..<20 { clients.append(try await RawClient.connect(port: bed.port, tls: false)) }
        // Connections beyond the cap are closed right away; five (whichever the server's event
        // loops admitted first, not necessarily the first five dialled) wait in the handshake.
        #expect(await eventually { clients.filter(\.isClosed).count >= 15 })
        #expect(clients.filter { !$0.isClosed }.count == 5)
        try await expectHealthy(bed)
        for client in clients { try? await client.channel.close() }
        await device.stop()
        await bed.server.stop()
    }

    @Test func stalledHandshakesFromOneAddressDoNotLockOutARealDeviceThere() async throws {
        var settings = CIRASettings()
        settings.maxPendingHandshakesPerAddress = 5
        let uuid = testUUID(105)
        let bed = try await CIRATestBed.start(settings: settings, accounts: [uuid.guidString: ("admin01", "P@ssw0rd-device")])
        var clients: [RawClient] = []
        for _ in 0..<5 { clients.append(try await RawClient.connect(port: bed.port, tls: false)) }
        #expect(await eventually { bed.server.pendingHandshakes(from: "127.0.0.1") == 5 })
        // The cap is full of stalled connections from 127.0.0.1; a device from the same address
        // still gets in (the oldest stalled handshake makes room).
        let device = try bed.device(uuid: uuid)
        device.start()
        #expect(await device.waitUntilConnected() == .connected)
        #expect(await eventually { clients.contains(where: \.isClosed) })
        for client in clients { try? await client.channel.close() }
        await device.stop()
        await bed.server.stop()
    }

    @Test func pastTheTotalHandshakeCapNewConnectionsAreRefusedBeforeTLS() async throws {
        let uuid = testUUID(31)
        var settings = CIRASettings()
        settings.maxPendingHandshakes = 3
        let bed = try await CIRATestBed.start(settings: settings, accounts: [uuid.guidString: ("admin01", "P@ssw0rd-device")])
        // Three stalled connections (TCP only, no ClientHello) fill the cap…
        var stalled: [RawClient] = []
        for _ in 0..<3 { stalled.append(try await RawClient.connect(port: bed.port, tls: false)) }
        #expect(await eventually { bed.server.pendingHandshakes(from: "127.0.0.1") == 3 })
        // …so the next one is closed at once, counted, and none of the three is evicted.
        let refused = try await RawClient.connect(port: bed.port, tls: false)
        #expect(await refused.waitForClose(timeout: .seconds(10)))
        #expect(bed.server.metrics.snapshot["connections_refused_busy"] == 1)
        #expect(stalled.filter { !$0.isClosed }.count == 3)
        #expect(bed.server.pendingHandshakes(from: "127.0.0.1") == 3)
        // Once one stalled connection goes, a device gets in again.
        try await stalled[0].channel.close()
        #expect(await eventually { bed.server.pendingHandshakes(from: "127.0.0.1") == 2 })
        let device = try bed.device(uuid: uuid)
        device.start()
        #expect(await device.waitUntilConnected() == .connected)
        for client in stalled.dropFirst() { try? await client.channel.close() }
        await device.stop()
        await bed.server.stop()
    }

    @Test func handshakeMustFinishInTime() async throws {
        var settings = CIRASettings()
        settings.handshakeTimeout = .seconds(2)  // short, yet long enough for the healthy device on a loaded 2-core machine
        let (bed, device) = try await bedWithHealthyDevice(settings: settings)
        let client = try await RawClient.connect(port: bed.port, tls: true)
        try await client.send(versionMessage(104))
        #expect(await client.waitForClose(timeout: .seconds(15)))
        try await expectHealthy(bed)
        await device.stop()
        await bed.server.stop()
    }
}
