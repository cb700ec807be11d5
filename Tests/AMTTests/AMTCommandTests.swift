import AMTSimulator
import Foundation
import PluginHost
import Testing
@testable import TetherCore
import TetherJSON

/// The typed `amt.*` host commands and `wsman.invoke`, through a real host and tunnel.
@Suite struct AMTCommandTests {
    @Test func typedCommandsAnswerNeutralResults() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(3001)
        let (device, firmware) = try await bed.connect(uuid)
        let guid = JSONValue.string(uuid.guidString)
        #expect(try await bed.host.bus.run("amt.power.state", args: ["guid": guid]) == ["powerState": 2])
        let capabilities = try await bed.host.bus.run("amt.power.capabilities", args: ["guid": guid])
        let codes = capabilities["actionCodes"]?.arrayValue?.compactMap(\.intValue) ?? []
        #expect([2, 14, 400].allSatisfy(codes.contains) && codes == codes.sorted(), "\(capabilities)")
        let version = try await bed.host.bus.run("amt.version", args: ["guid": guid])
        let identities = version["softwareIdentity"]?.arrayValue ?? []
        #expect(identities.contains { $0["InstanceID"] == "AMT" })
        #expect(version["setupAndConfiguration"]?["ProvisioningState"] != nil)
        #expect(version["replyHeader"]?["action"]?.stringValue?.hasSuffix("GetResponse") == true, "\(version)")
        let general = try await bed.host.bus.run("amt.generalSettings", args: ["guid": guid])
        #expect(general["generalSettings"]?["DigestRealm"]?.stringValue == firmware.realm)
        let hardware = try await bed.host.bus.run("amt.hardwareInfo", args: ["guid": guid])
        #expect(hardware["classes"]?["CIM_Chassis"]?["operation"] == "get")
        #expect(hardware["classes"]?["CIM_Chassis"]?["instances"]?.arrayValue?.count == 1)
        #expect(hardware["classes"]?["CIM_Processor"]?["operation"] == "enumerate")
        #expect(hardware["classes"]?["CIM_Processor"]?["instances"]?.arrayValue?.isEmpty == false)
        // Neutral: no HTTP statuses and no MPS wrappers anywhere in these results.
        for result in [version, general, hardware, capabilities] {
            #expect(!result.jsonString.contains("\"status\"") && !result.jsonString.contains("\"responses\"") && !result.jsonString.contains("\"Header\""))
        }
        await device.stop()
    }

    @Test func wsmanInvokeRunsAnyCall() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(3002)
        let (device, firmware) = try await bed.connect(uuid)
        let get = try await bed.host.bus.run("wsman.invoke", args: [
            "guid": .string(uuid.guidString), "action": "Get",
            "resourceUri": "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_BootSettingData",
        ])
        #expect(get["Body"]?["AMT_BootSettingData"]?["BIOSSetup"] == false)
        let items = try await bed.host.bus.run("wsman.invoke", args: [
            "guid": .string(uuid.guidString), "action": "Enumerate",
            "resourceUri": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ServiceAvailableToElement",
        ])
        #expect(items["Items"]?.arrayValue?.first?["PowerState"] == 2)
        let fault = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("wsman.invoke", args: [
                "guid": .string(uuid.guidString), "action": "Get",
                "resourceUri": "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_NoSuchThing",
            ])
        }
        #expect(fault?.code == .deviceError)
        #expect(fault?.detail?["fault"]?["code"] != nil)
        let bad = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("wsman.invoke", args: ["guid": .string(uuid.guidString), "action": "Get", "resourceUri": "nope"])
        }
        #expect(bad?.code == .badRequest)
        // The enumeration is optimized: its items come in the EnumerateResponse, no Pull.
        #expect(firmware.calls.map(\.method) == ["Get", "Enumerate", "Get"])
        await device.stop()
    }

    @Test func precedenceDecidesBetweenPluginsClaimingOneAction() throws {
        let a: JSONValue = ["actions": [["code": 900, "name": "restart", "description": "a"]]]
        let b: JSONValue = ["actions": [["code": 900, "name": "restart-b", "description": "b"]]]
        let byID = PowerActionCatalog(plugins: [("com.b", b), ("com.a", a)], precedence: [])
        #expect(byID.actions.map(\.pluginID) == ["com.a"])
        #expect(byID.conflicts.count == 1)
        let preferred = PowerActionCatalog(plugins: [("com.a", a), ("com.b", b)], precedence: ["com.b"])
        #expect(preferred.actions.map(\.pluginID) == ["com.b"])
        #expect(preferred.conflicts.first?.contains("using com.b") == true)
        #expect(throws: CommandError.self) { try preferred.resolve("restart") }
        #expect(try preferred.resolve("RESTART-B").code == 900)
    }
}
