import AMTSimulator
import Foundation
import Testing
import TetherJSON
@testable import TetherCore

/// The MPS shapes of the device reads (`/amt/version`, `/generalSettings`, `/hardwareInfo`,
/// `/power/capabilities`), which the REST plugin builds from the host's neutral results.
@Suite(.serialized) struct MPSReadShapeTests {
    @Test func deviceReadsAnswerInMPSShapes() async throws {
        let bed = try await maintenanceHost.value
        let token = try await bed.token()
        let device = try await MaintenanceRouteTests.connectedDevice(bed, number: 0x1A1)
        defer { Task { await device.device.stop() } }
        let base = "/api/v1/amt"

        let version = try await bed.request("GET", "\(base)/version/\(device.guid)", token: token)
        #expect(version.status == 200, "\(version.text)")
        let identities = version.json?["CIM_SoftwareIdentity"]
        #expect(identities?["status"] == 200 && identities?["responses"]?.arrayValue?.contains { $0["InstanceID"] == "AMT" } == true)
        let setup = try #require(version.json?["AMT_SetupAndConfigurationService"])
        #expect(setup["status"] == 200 && setup["response"]?["ProvisioningState"] != nil)
        #expect(setup["responses"]?["Body"]?["AMT_SetupAndConfigurationService"] == setup["response"])
        let header = setup["responses"]?["Header"]
        #expect(header?["Action"]?.stringValue?.hasSuffix("/transfer/GetResponse") == true, "\(version.text)")
        #expect(header?["ResourceURI"]?.stringValue?.hasSuffix("AMT_SetupAndConfigurationService") == true)
        #expect(header?["RelatesTo"]?.intValue != nil, "RelatesTo is a number, as xml2js parses it: \(version.text)")
        #expect(header?["To"] != nil && header?["MessageID"] != nil)
        #expect(version.json?["softwareIdentity"] == nil && version.json?["replyHeader"] == nil, "no neutral member leaks")

        let general = try await bed.request("GET", "\(base)/generalSettings/\(device.guid)", token: token)
        #expect(general.status == 200 && general.json?["Body"]?["DigestRealm"]?.stringValue == device.firmware.realm, "\(general.text)")
        #expect(general.json?["Header"]?["ResourceURI"]?.stringValue?.hasSuffix("AMT_GeneralSettings") == true)
        #expect(Set(general.json?.objectValue?.keys.map { $0 } ?? []) == ["Header", "Body"])

        let hardware = try await bed.request("GET", "\(base)/hardwareInfo/\(device.guid)", token: token)
        #expect(hardware.status == 200, "\(hardware.text)")
        let chassis = hardware.json?["CIM_Chassis"]
        #expect(chassis?["status"] == 200 && chassis?["responses"]?.arrayValue?.count == 1)
        #expect(chassis?["response"] != nil && chassis?["response"] == chassis?["responses"]?.arrayValue?.first)
        let processors = hardware.json?["CIM_Processor"]
        #expect(processors?["status"] == 200 && processors?["response"] == nil && processors?["responses"]?.arrayValue?.isEmpty == false)
        #expect(hardware.json?["classes"] == nil)

        let capabilities = try await bed.request("GET", "\(base)/power/capabilities/\(device.guid)", token: token)
        #expect(capabilities.status == 200)
        let labels = capabilities.json?.objectValue ?? [:]
        #expect(labels["Power up"] == 2 && labels["Power down"] == 8 && labels["Soft-reset"] == 14 && labels["Reset to PXE"] == 400, "\(capabilities.text)")
        #expect(labels.values.allSatisfy { $0.intValue != nil } && labels["actionCodes"] == nil)

        let state = try await bed.request("GET", "\(base)/power/state/\(device.guid)", token: token)
        #expect(state.json == ["powerstate": 2], "\(state.text)")
    }
}
