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

    /// `amt.boot.settings.apply`: a Get, and a Put only when a wanted value differs; the Put
    /// keeps the device's other properties; an absent property counts as off; bad arguments are
    /// refused before anything is sent.
    @Test func bootSettingsApplyPutsOnlyWhatDiffers() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(3010)
        let (device, firmware) = try await bed.connect(uuid)
        let guid = JSONValue.string(uuid.guidString)
        func apply(_ settings: JSONValue) async throws -> JSONValue {
            try await bed.host.bus.run("amt.boot.settings.apply", args: ["guid": guid, "settings": settings])
        }
        // Already held (and an option this firmware does not report, wanted off): no Put.
        #expect(try await apply(["BIOSSetup": false, "UseSOL": false, "NotAnOptionHere": false]) == ["changed": false])
        #expect(firmware.calls.map(\.method) == ["Get"])
        // One differs: a Put of the whole instance with it changed.
        firmware.clearCalls()
        #expect(try await apply(["BIOSSetup": true, "UseSOL": false]) == ["changed": true])
        #expect(firmware.calls.map(\.method) == ["Get", "Put"])
        let put = try #require(firmware.calls.last)
        #expect(put.inputs["BIOSSetup"] == "true" && put.inputs["UseSOL"] == "false")
        #expect(put.inputs["InstanceID"] == "Intel(r) AMT:BootSettingData 0", "the device's other properties are written back")
        #expect(firmware.state.bootSettings.biosSetup)
        // And back: the device now holds BIOSSetup, so clearing it needs a Put again.
        firmware.clearCalls()
        #expect(try await apply(["BIOSSetup": false]) == ["changed": true])
        #expect(!firmware.state.bootSettings.biosSetup)
        // clearOneTimeOptions: every one-time option off under the caller's own values.
        firmware.modifyState { $0.bootSettings.useSOL = true }
        firmware.clearCalls()
        let cleared = try await bed.host.bus.run(
            "amt.boot.settings.apply", args: ["guid": guid, "settings": ["BIOSSetup": true], "clearOneTimeOptions": true])
        #expect(cleared == ["changed": true])
        let clearingPut = try #require(firmware.calls.last)
        #expect(clearingPut.method == "Put" && clearingPut.inputs["UseSOL"] == "false" && clearingPut.inputs["BIOSSetup"] == "true")
        #expect(clearingPut.inputs["LockKeyboard"] == "false" && clearingPut.inputs["IDERBootDevice"] == "0")
        #expect(firmware.state.bootSettings.biosSetup && !firmware.state.bootSettings.useSOL)
        #expect(try await apply(["BIOSSetup": false]) == ["changed": true])
        // A refused Put names its call; nothing changed on the device.
        var faults = FirmwareFaults()
        faults.refuseOperations = ["Put"]
        firmware.setFaults(faults)
        let refused = await #expect(throws: CommandError.self) { try await apply(["UseSOL": true]) }
        #expect(refused?.code == .deviceError && refused?.detail?["call"] == "Put", "\(refused?.json.jsonString ?? "")")
        #expect(refused?.detail?["fault"]?["subcode"] == "b:AccessDenied")
        #expect(!firmware.state.bootSettings.useSOL)
        firmware.setFaults(FirmwareFaults())
        // Refused before any call: no settings, settings that are no object, names that are no XML names.
        firmware.clearCalls()
        let refusals: [JSONValue] = [
            ["guid": guid], ["guid": guid, "settings": "BIOSSetup"], ["guid": guid, "settings": ["Bad<Name": true]],
            ["guid": guid, "settings": ["1st": true]], ["guid": guid, "settings": ["": true]],
            ["guid": guid, "settings": [:], "clearOneTimeOptions": "yes"],
        ]
        for args in refusals {
            let error = await #expect(throws: CommandError.self) { try await bed.host.bus.run("amt.boot.settings.apply", args: args) }
            #expect(error?.code == .badRequest, "\(args.jsonString): \(error?.message ?? "")")
        }
        #expect(firmware.calls.isEmpty)
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
