import AMTSimulator
import Foundation
import Testing
import TetherJSON
@testable import TetherCore

/// The README walk-through, over real HTTP: authorize → CIRA config → profile → device with
/// credentials → a simulated device connects → power actions and boot options → state.
@Suite struct EndToEndTests {
    @Test func authorizeConfigureConnectAndPowerCycle() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let cert = try await bed.host.bus.run("cert.show")
        let ciraConfig: JSONValue = [
            "configName": "ciraconfig1", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "standalone",
            "password": "G@ppm0ym", "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2,
            "mpsRootCertificate": cert["mpsRootCertificate"] ?? .null, "proxyDetails": "",
        ]
        let config = try await bed.request("POST", "/api/v1/admin/ciraconfigs", json: ciraConfig, token: token)
        #expect(config.status == 201, "\(config.text)")
        #expect(config.json?["password"] == nil)
        let read = try await bed.request("GET", "/api/v1/admin/ciraconfigs/CIRACONFIG1", token: token)
        #expect(read.status == 200)
        #expect(read.json?["mpsServerAddress"] == "127.0.0.1")

        let profile: JSONValue = [
            "profileName": "profile1", "activation": "ccmactivate", "generateRandomPassword": false, "amtPassword": "P@ssw0rd-1",
            "generateRandomMEBxPassword": false, "ciraConfigName": "ciraconfig1", "dhcpEnabled": true, "tags": ["lab"],
            "userConsent": "All", "iderEnabled": false, "kvmEnabled": true, "solEnabled": false,
        ]
        let createdProfile = try await bed.request("POST", "/api/v1/admin/profiles", json: profile, token: token)
        #expect(createdProfile.status == 201, "\(createdProfile.text)")

        let device = try TestDevice.make(bed, number: 1, username: "standalone", password: "G@ppm0ym")
        let registered = try await bed.request(
            "POST", "/api/v1/devices",
            json: [
                "guid": .string(device.guid), "hostname": "e2e-host", "tags": ["lab"], "mpsusername": "standalone",
                "mpsPassword": "G@ppm0ym", "amtPassword": .string(TestDevice.amtPassword),
            ], token: token)
        try #require(registered.status == 201, "\(registered.text)")
        #expect(registered.json?["mpsPassword"] == nil && registered.json?["amtPassword"] == nil)

        device.device.start()
        defer { Task { await device.device.stop() } }
        let status = await device.device.waitUntilConnected()
        try #require(status == .connected, "device did not connect: \(status)")
        // This device shows as connected (other suites share the host and connect devices of their own).
        #expect(await eventually { (try? await bed.request("GET", "/api/v1/devices/\(device.guid)", token: token).json?["connectionStatus"]) == true })

        // The device starts powered on: 2 (power up) is refused by the firmware with NOT_READY,
        // which MPS reports as 200 with the ReturnValue.
        let early = try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": 2], token: token)
        #expect(early.status == 200, "\(early.text)")
        #expect(early.json?["Body"]?["ReturnValueStr"] == "NOT_READY", "\(early.text)")
        for (action, expectedState) in [(8, 8), (2, 2), (10, 2)] {
            let reply = try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": .number(action)], token: token)
            if reply.status != 200 {
                let direct = await bed.host.bus.result(request: ["command": "power.action", "args": ["guid": .string(device.guid), "action": .number(action)]])
                Issue.record("action \(action): \(reply.status) \(reply.text); power.action directly: \(direct)")
            }
            #expect(reply.json?["Body"]?["ReturnValue"]?.intValue == 0, "action \(action): \(reply.text)")
            let state = try await bed.request("GET", "/api/v1/amt/power/state/\(device.guid)", token: token)
            #expect(state.json?["powerstate"]?.intValue == expectedState, "after \(action): \(state.text)")
        }
        _ = try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": 8], token: token)
        for (action, useSOL) in [(100, false), (101, true)] {
            let reply = try await bed.request(
                "POST", "/api/v1/amt/power/bootOptions/\(device.guid)", json: ["action": .number(action), "useSOL": .bool(useSOL)], token: token)
            #expect(reply.status == 200, "boot \(action): \(reply.text)")
            #expect(reply.json?["Body"]?["ReturnValue"]?.intValue == 0, "boot \(action): \(reply.text)")
            // The firmware consumed the boot options: it booted into BIOS setup, and is on.
            #expect(device.firmware.state.lastBoot == .biosSetup)
            #expect(device.firmware.state.powerState == 2)
        }
        let state = try await bed.request("GET", "/api/v1/amt/power/state/\(device.guid)", token: token)
        #expect(state.status == 200)
        #expect(state.json?["powerstate"]?.intValue == device.firmware.state.powerState, "\(state.text)")
        #expect(device.firmware.state.powerState == 2)
    }
}
