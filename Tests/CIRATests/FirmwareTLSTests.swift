import AMTSimulator
import CIRA
import Testing
import TetherTLS

/// Devices of each firmware generation connect with the TLS their firmware offers: AMT 11 only
/// TLS 1.1 with RSA-key-exchange CBC suites, AMT 12 TLS 1.2 AES128-SHA256, AMT 16 TLS 1.2.
@Suite(.serialized) struct FirmwareTLSTests {
    @Test(arguments: [
        (11, "TLSv1.1", "AES"),
        (12, "TLSv1.2", "AES128-SHA256"),
        (16, "TLSv1.2", "RSA"),
    ])
    func firmwareGenerationsNegotiateTheirTLS(generation: Int, expectedVersion: String, expectedCipher: String) async throws {
        let uuid = testUUID(500 + generation)
        let bed = try await CIRATestBed.start(accounts: [uuid.guidString: ("admin01", "P@ssw0rd-device")])
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: bed.port, username: "admin01", password: "P@ssw0rd-device")
        configuration.tls.trustedRootPEM = testAuthority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configuration.reconnect = false
        let profile = try #require(FirmwareProfile(generation: generation))
        profile.tls.apply(to: &configuration.tls)
        let device = try SimulatedDevice(configuration: configuration, firmware: AMTFirmware(uuid: uuid, password: "x", profile: profile))
        device.start()
        let status = await device.waitUntilConnected()
        #expect(status == .connected, "firmware \(generation): \(status)")
        let session = try #require(bed.server.session(for: uuid.guidString))
        #expect(session.tls.hasPrefix(expectedVersion + " "), "negotiated \(session.tls)")
        #expect(session.tls.contains(expectedCipher), "negotiated \(session.tls)")
        #expect(session.summary["tls"] == session.tls)
        await device.stop()
        await bed.server.stop()
    }
}
