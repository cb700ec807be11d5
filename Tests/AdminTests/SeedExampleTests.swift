import AMTSimulator
import APF
import Foundation
import PluginHost
import Testing
import TetherJSON

/// The seed example end to end: CIRA config with self-registration, CCM and ACM profiles, a
/// simulated device that registers itself over CIRA; afterwards no password is on disk or in the log.
@Suite struct SeedExampleTests {
    @Test func selfRegisteredDeviceConnectsAndNoSecretLeaks() async throws {
        let bed = try await AdminTestHost.start()
        let ciraPassword = "G@ppm0ym"
        let amtPassword = "Zq7!kLm2Rt#s", mebxPassword = "Wx4@hJn8Pv$d"
        let config = try await bed.run("ciraconfigs.create", [
            "configName": "ciraconfig1", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "standalone",
            "password": .string(ciraPassword), "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2,
            "allowSelfRegistration": true,
        ])
        let root = try #require(try bed.host.certificateAuthority?.rootCertificateDERBase64)
        #expect(config["mpsRootCertificate"] == .string(root))
        #expect(config["allowSelfRegistration"] == true)
        try await bed.run("profiles.create", [
            "profileName": "ccm-cira", "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true,
            "ciraConfigName": "ciraconfig1",
        ])
        try await bed.run("profiles.create", [
            "profileName": "acm-cira", "activation": "acmactivate", "amtPassword": .string(amtPassword),
            "mebxPassword": .string(mebxPassword), "dhcpEnabled": true, "ciraConfigName": "ciraconfig1", "userConsent": "None",
        ])

        // A device with the wrong password is not registered.
        let port = try #require(bed.host.ciraPort)
        let intruderUUID = try #require(AMTUUID(guidString: "12345678-0000-4000-8000-00000000beef"))
        let intruder = try makeDevice(uuid: intruderUUID, port: port, password: "wrong-pass", root: bed)
        intruder.start()
        // Wait for the server's refusal itself (the device backs off to retry), not a fixed time:
        // only then does "not registered" mean something.
        let refusalDeadline = ContinuousClock.now + .seconds(15)
        var refusal: String?
        while refusal == nil, ContinuousClock.now < refusalDeadline {
            switch intruder.status {
            case .reconnecting(let reason), .failed(let reason): refusal = reason
            default: try await Task.sleep(for: .milliseconds(20))
            }
        }
        await intruder.stop()
        #expect(intruder.connectCount == 0)
        #expect(refusal?.contains("rejected the MPS username or password") == true, "\(String(describing: refusal))")
        #expect(await bed.failure("devices.get", ["guid": .string(intruderUUID.guidString)])?.code == .notFound)

        let uuid = try #require(AMTUUID(guidString: "12345678-0000-4000-8000-00000000c1a0"))
        let device = try makeDevice(uuid: uuid, port: port, password: ciraPassword, root: bed)
        device.start()
        let guid = uuid.guidString.lowercased()
        var connected = false
        for _ in 0..<100 where !connected {
            if let record = try? await bed.run("devices.get", ["guid": .string(guid)]) {
                connected = record["connectionStatus"] == true
                #expect(record["mpsusername"] == "standalone")
            }
            if !connected { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(connected, "the self-registered device shows connectionStatus true")
        let audit = try await bed.host.store!.audit.list(page: .init(top: 100)).items
        #expect(audit.contains { $0.action == "device.self-register" && $0.target == guid })
        await device.stop()
        await bed.stop()

        // No known password in the SQLite files or in the captured log.
        let files = try FileManager.default.contentsOfDirectory(atPath: bed.dataDirectory).filter { $0.hasPrefix("tether.sqlite") }
        #expect(!files.isEmpty)
        for secret in [ciraPassword, amtPassword, mebxPassword] {
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: bed.dataDirectory + "/" + file))
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) contains a password")
            }
            #expect(!bed.log.text.contains(secret), "the log contains a password")
        }
        #expect(bed.log.text.contains("device registered itself"))
    }

    /// A device of another tenant registers itself once and then keeps reconnecting as itself
    /// (the CIRA server finds devices by GUID across tenants), and the host can manage it.
    @Test func tenantDeviceSelfRegistersReconnectsAndIsManaged() async throws {
        let bed = try await AdminTestHost.start()
        try await bed.run("ciraconfigs.create", [
            "configName": "acme-cira", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "standalone",
            "password": "G@ppm0ym", "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2,
            "allowSelfRegistration": true, "tenantId": "acme",
        ])
        try await bed.run("profiles.create", [
            "profileName": "acme-ccm", "activation": "ccmactivate", "generateRandomPassword": false,
            "amtPassword": "P@ssw0rd", "dhcpEnabled": true, "ciraConfigName": "acme-cira", "tenantId": "acme",
        ])
        let port = try #require(bed.host.ciraPort)
        let uuid = try #require(AMTUUID(guidString: "12345678-0000-4000-8000-0000000ac3e0"))
        let guid = uuid.guidString.lowercased()
        for round in 1...2 {
            let device = try makeDevice(uuid: uuid, port: port, password: "G@ppm0ym", root: bed)
            device.start()
            #expect(await device.waitUntilConnected() == .connected, "round \(round)")
            // Managed through the AMT password inherited from the tenant's profile.
            let state = try await bed.run("amt.power.state", ["guid": .string(guid)])
            #expect(state["powerState"] == 2, "round \(round)")
            await device.stop()
            #expect(await device.waitUntilDisconnected())
        }
        let record = try await bed.run("devices.get", ["guid": .string(guid), "tenantId": "acme"])
        #expect(record["tenantId"] == "acme")
        await bed.stop()
    }

    private func makeDevice(uuid: AMTUUID, port: Int, password: String, root bed: AdminTestHost) throws -> SimulatedDevice {
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: port, username: "standalone", password: password)
        configuration.tls.trustedRootPEM = bed.host.certificateAuthority?.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        return try SimulatedDevice(configuration: configuration, firmware: AMTFirmware(uuid: uuid, password: "P@ssw0rd"))
    }
}
