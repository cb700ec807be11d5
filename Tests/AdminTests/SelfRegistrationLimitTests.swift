import AMTSimulator
import APF
import Foundation
import Testing
import TetherJSON
import TetherCore

/// Before: one shared CIRA config password registered 200 random GUIDs in 0.55 s. Now each
/// config has a quota and a rate limit, and every refusal is audited.
@Suite struct SelfRegistrationLimitTests {
    private func startWithConfig(_ security: SecuritySettings) async throws -> AdminTestHost {
        let bed = try await AdminTestHost.start(security: security)
        try await bed.run("ciraconfigs.create", [
            "configName": "shared", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "standalone",
            "password": "G@ppm0ym", "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2,
            "allowSelfRegistration": true,
        ])
        return bed
    }

    /// Connects a simulated device with the config's password; returns whether it got in.
    private func register(_ n: Int, on bed: AdminTestHost) async throws -> Bool {
        let uuid = try #require(AMTUUID(guidString: String(format: "12345678-0000-4000-8000-%012x", 0x5e1f00 + n)))
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: try #require(bed.host.ciraPort), username: "standalone",
            password: "G@ppm0ym")
        configuration.tls.trustedRootPEM = bed.host.certificateAuthority?.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configuration.reconnect = false  // a refusal is final at once
        let device = try SimulatedDevice(configuration: configuration, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd"))
        device.start()
        // Generous: the whole suite loads the machine; a refusal ends the wait at once.
        let connected = await device.waitUntilConnected(timeout: .seconds(30)) == .connected
        await device.stop()
        return connected
    }

    private func refusals(_ bed: AdminTestHost) async throws -> [String] {
        try await bed.host.store!.audit.list(page: .init(top: 100)).items
            .filter { $0.action == "device.self-register.refused" }.map { $0.detail ?? "" }
    }

    @Test func theQuotaCapsDevicesPerConfig() async throws {
        var security = SecuritySettings()
        security.selfRegistrationQuota = 2
        let bed = try await startWithConfig(security)
        #expect(try await register(1, on: bed))
        #expect(try await register(2, on: bed))
        #expect(try await register(3, on: bed) == false)
        #expect(try await register(4, on: bed) == false)
        // Audited once per config per minute, however often it is tried.
        let refused = try await refusals(bed)
        #expect(refused.count == 1)
        #expect(refused.first?.contains("quota (2 devices)") == true)
        #expect(bed.log.text.contains("self-registration refused"))
        await bed.stop()
    }

    @Test func theRateLimitSlowsRegistrationsPerConfig() async throws {
        var security = SecuritySettings()
        security.selfRegistrationsPerMinute = 1
        let bed = try await startWithConfig(security)
        #expect(try await register(11, on: bed))
        #expect(try await register(12, on: bed) == false)
        #expect(try await refusals(bed).first?.contains("rate limit (1 per minute)") == true)
        await bed.stop()
    }
}
