import AMTSimulator
import Foundation
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

/// Every action in the catalogue is reachable through the REST front end, including a vendor's
/// (the C example's action 900), and the catalogue is listed.
@Suite struct PowerCatalogueRESTTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Builds examples/signage-display-restart with its Makefile into a fresh directory.
    static func buildDisplayRestart() async throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tether-900-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let example = repositoryRoot.appendingPathComponent("examples/signage-display-restart").path
        _ = try await ChildProcess.checked("/usr/bin/make", ["-s", "-C", example, "OUT=\(out)", "\(out)/libsignage_display_restart.so"])
        return out
    }

    @Test func theVendorsAction900RunsThroughRESTAndIsListed() async throws {
        let plugins = try await Self.buildDisplayRestart()
        let bed = try await RESTTestHost.start { $0.pluginDirectories = [plugins] }
        let token = try await bed.token()

        let listed = try await bed.request("GET", "/api/v1/power/actions", token: token)
        #expect(listed.status == 200, "\(listed.text)")
        let actions = listed.json?.arrayValue ?? []
        let vendor = actions.first { $0["code"] == 900 }
        #expect(vendor?["name"] == "display-restart")
        #expect(vendor?["plugin"] == "com.example.signage.display-restart")
        #expect(actions.contains { $0["code"] == 100 && $0["plugin"] == "io.tether.power-standard" })
        #expect((try await bed.request("GET", "/api/v1/power/actions")).status == 401)

        let device = try await TestDevice.registerAndConnect(
            bed, token: token, number: 900, username: "signage", password: "S1gnage-P@ss", hostname: "signage-1")
        device.firmware.clearCalls()

        let reply = try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": 900], token: token)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["Body"] == ["ReturnValue": 0, "ReturnValueStr": "SUCCESS"], "\(reply.text)")
        #expect(reply.json?["powerState"] == 14, "the vendor action's own member is kept: \(reply.text)")
        #expect(reply.json?["returnValue"] == nil, "no neutral member in the MPS body: \(reply.text)")
        let changes = device.firmware.calls.filter { $0.method == "RequestPowerStateChange" }
        #expect(!changes.isEmpty && changes.last?.returnValue == 0, "\(changes)")

        // A code nobody offers is a 400 naming the valid ones, vendor codes included.
        let unknown = try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": 901], token: token)
        #expect(unknown.status == 400)
        #expect(unknown.text.contains("900"), "\(unknown.text)")
        // MPS's codes behave as before: 9 stays refused.
        #expect(try await bed.request("POST", "/api/v1/amt/power/action/\(device.guid)", json: ["action": 9], token: token).status == 400)

        await device.device.stop()
        await bed.stop()
    }
}
