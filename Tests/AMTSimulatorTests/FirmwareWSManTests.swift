import APF
import Foundation
import Testing
import WSMan
@testable import AMTSimulator

@Suite struct FirmwareWSManTests {

    @Test func powerOffThenPowerStateIsEight() throws {
        let harness = FirmwareHarness()
        let before = try harness.enumerate(.cimServiceAvailableToElement)
        #expect(before.first?.int("PowerState") == 2)
        #expect(before.first?.strings("AvailableRequestedPowerStates") == ["10", "8", "5", "11", "4", "7", "14", "12"])

        let reply = try harness.call(.requestPowerStateChange(.offSoft, messageID: "5"))
        #expect(reply.header.relatesTo == "5")
        #expect(reply.header.action == WSManResource.cimPowerManagementService.methodAction("RequestPowerStateChange") + "Response")
        #expect(try reply.requireReturnValue(method: "RequestPowerStateChange") == .success)

        let items = try harness.enumerate(.cimServiceAvailableToElement)
        #expect(items.count == 1)
        #expect(items.first?.className == "CIM_AssociatedPowerManagementService")
        #expect(items.first?.int("PowerState") == 8)
        #expect(items.first?.strings("AvailableRequestedPowerStates") == ["2"])
        let get = try harness.call(.get(.cimAssociatedPowerManagementService, messageID: "9"))
        #expect(try get.requireInstance("CIM_AssociatedPowerManagementService").int("PowerState") == 8)
        #expect(harness.firmware.state.powerState == 8)
        #expect(harness.firmware.state.osRunning == false)
    }

    /// DSP0226 optimized enumeration: the first `MaxElements` items in the EnumerateResponse, a
    /// context for the rest, Pulls paged by their own `MaxElements`; the same items as a plain
    /// Enumerate + Pull, in the same order.
    @Test func optimizedEnumerationPagesThroughTheSameItems() throws {
        let harness = FirmwareHarness()
        let ids = { (items: [WSManInstance]) in items.map { $0.string("InstanceID") ?? "?" } }
        let all = ids(try harness.enumerate(.cimSoftwareIdentity))
        #expect(all.count >= 3)

        let whole = try harness.call(.enumerate(.cimSoftwareIdentity, messageID: harness.messageID(), optimizedMaxElements: 999))
        #expect(ids(whole.pullItems) == all)
        #expect(whole.endOfSequence)
        // Nothing is left to pull: the context of a finished enumeration is not kept.
        let finished = try harness.call(.pull(.cimSoftwareIdentity, context: try #require(whole.enumerationContext), messageID: "x"))
        #expect(finished.fault?.subcode == "g:InvalidEnumerationContext")

        let first = try harness.call(.enumerate(.cimSoftwareIdentity, messageID: harness.messageID(), optimizedMaxElements: 2))
        #expect(ids(first.pullItems) == Array(all.prefix(2)))
        #expect(!first.endOfSequence)
        let second = try harness.call(.pull(
            .cimSoftwareIdentity, context: try #require(first.enumerationContext), messageID: harness.messageID(), maxElements: 1))
        #expect(ids(second.pullItems) == [all[2]])
        #expect(second.endOfSequence == (all.count == 3))
        if all.count > 3 {
            let rest = try harness.call(.pull(.cimSoftwareIdentity, context: try #require(second.enumerationContext), messageID: harness.messageID()))
            #expect(ids(rest.pullItems) == Array(all.dropFirst(3)))
            #expect(rest.endOfSequence)
        }
    }

    @Test func sleepWhenOffIsNotReadyAndInvalidValuesAreRejected() throws {
        let harness = FirmwareHarness { $0.powerState = 8 }
        let sleep = try harness.call(.requestPowerStateChange(.sleepDeep, messageID: "0"))
        #expect(try sleep.requireReturnValue() == ReturnValue(2))
        #expect(try sleep.requireReturnValue().name == "NOT_READY")
        #expect(harness.firmware.state.powerState == 8)

        let bogus = WSManRequest.invoke(.cimPowerManagementService, method: "RequestPowerStateChange",
                                        parameters: [("PowerState", "99")], messageID: "1")
        #expect(try harness.call(bogus).requireReturnValue() == ReturnValue(5))

        let on = try harness.call(.requestPowerStateChange(.on, messageID: "2"))
        #expect(try on.requireReturnValue() == .success)
        #expect(harness.firmware.state.powerState == 2)
        #expect(harness.firmware.state.osRunning)
        #expect(try harness.call(.requestPowerStateChange(.sleepDeep, messageID: "3")).requireReturnValue() == .success)
        #expect(harness.firmware.state.powerState == 4)
        #expect(harness.firmware.calls.compactMap(\.returnValue) == [2, 5, 0, 0])
    }

    @Test func resetToBIOSSequenceIsLoggedAndConsumesTheBootOptions() throws {
        let harness = FirmwareHarness()
        let get = try harness.call(.get(.amtBootSettingData, messageID: "0"))
        var settings = try get.requireInstance("AMT_BootSettingData")
        #expect(settings.bool("BIOSSetup") == false)
        #expect(settings.bool("OptionsCleared") == true)
        settings["BIOSSetup"] = .bool(true)
        settings["UseSOL"] = .bool(true)

        let put = try harness.call(.putBootSettingData(settings, messageID: "1"))
        #expect(put.header.action == WSManAction.put + "Response")
        let echoed = try put.requireInstance("AMT_BootSettingData")
        #expect(echoed.bool("BIOSSetup") == true)
        #expect(echoed.bool("UseSOL") == true)
        #expect(echoed.bool("OptionsCleared") == false)
        #expect(harness.firmware.state.nextBootToBIOS)

        #expect(try harness.call(.setBootConfigRole(messageID: "0")).requireReturnValue(method: "SetBootConfigRole") == .success)
        #expect(harness.firmware.state.bootConfigRole == 1)
        #expect(try harness.call(.changeBootOrder(source: nil, messageID: "1")).requireReturnValue(method: "ChangeBootOrder") == .success)
        #expect(try harness.call(.requestPowerStateChange(.masterBusReset, messageID: "2")).requireReturnValue() == .success)

        let calls = harness.firmware.calls
        #expect(calls.map(\.method) == ["Get", "Put", "SetBootConfigRole", "ChangeBootOrder", "RequestPowerStateChange"])
        #expect(calls.map(\.resourceClass) == [
            "AMT_BootSettingData", "AMT_BootSettingData", "CIM_BootService", "CIM_BootConfigSetting", "CIM_PowerManagementService",
        ])
        #expect(calls[1].inputs["BIOSSetup"] == "true")
        #expect(calls[1].inputs["UseSOL"] == "true")
        #expect(calls[2].inputs["Role"] == "1")
        #expect(calls[2].inputs["BootConfigSetting"] == "Intel(r) AMT: Boot Configuration 0")
        #expect(calls[3].inputs["Source"] == "")
        #expect(calls[4].inputs["PowerState"] == "10")
        #expect(calls.map(\.returnValue) == [nil, nil, 0, 0, 0])
        #expect(calls.map(\.messageID) == ["0", "1", "0", "1", "2"])

        let state = harness.firmware.state
        #expect(state.lastBoot == .biosSetup)
        #expect(state.bootCount == 1)
        #expect(state.powerState == 2)
        #expect(state.osRunning == false)
        #expect(state.nextBootToBIOS == false)
        #expect(state.bootSettings.useSOL == false)
        #expect(state.bootConfigRole == nil)
        // In BIOS setup there is no OS agent: sleep is refused.
        #expect(try harness.call(.requestPowerStateChange(.sleepDeep, messageID: "3")).requireReturnValue() == ReturnValue(2))
    }

    @Test func pxeBootOrderAppliesToTheNextBootOnly() throws {
        let harness = FirmwareHarness()
        #expect(try harness.call(.changeBootOrder(source: .pxe, messageID: "0")).requireReturnValue() == .success)
        #expect(harness.firmware.state.bootOrderSource == BootSource.pxe.instanceID)
        #expect(harness.firmware.calls.last?.inputs["Source"] == BootSource.pxe.instanceID)
        #expect(try harness.call(.changeBootOrder(source: .instanceID("Intel(r) AMT: Force Nothing"), messageID: "1"))
            .requireReturnValue() == ReturnValue(5))
        #expect(try harness.call(.requestPowerStateChange(.powerCycleOffSoft, messageID: "2")).requireReturnValue() == .success)
        #expect(harness.firmware.state.lastBoot == .forcedSource(BootSource.pxe.instanceID))
        #expect(harness.firmware.state.bootOrderSource == nil)
        #expect(try harness.call(.requestPowerStateChange(.masterBusReset, messageID: "3")).requireReturnValue() == .success)
        #expect(harness.firmware.state.lastBoot == .normal)
        #expect(harness.firmware.state.osRunning)
    }

    @Test func badPutValueIsAFaultAndChangesNothing() throws {
        let harness = FirmwareHarness()
        var settings = try harness.call(.get(.amtBootSettingData, messageID: "0")).requireInstance()
        settings["BIOSSetup"] = .bool(true)
        settings["UseIDER"] = "maybe"
        let (response, _) = try harness.exchange(.putBootSettingData(settings, messageID: "1"))
        #expect(response.status == 400)
        #expect(try WSManEnvelope(bytes: response.body).fault?.subcodeName == "InvalidRepresentation")
        #expect(harness.firmware.state.bootSettings.biosSetup == false)
    }

    @Test func unknownActionAndResourceAreSOAPFaults() throws {
        let harness = FirmwareHarness()
        let (response, _) = try harness.exchange(.invoke(.cimPowerManagementService, method: "Frobnicate", messageID: "4"))
        #expect(response.status == 400)
        let envelope = try WSManEnvelope(bytes: response.body)
        let fault = try #require(envelope.fault)
        #expect(fault.codeName == "Sender")
        #expect(fault.subcodeName == "ActionNotSupported")
        #expect(envelope.header.relatesTo == "4")
        #expect(envelope.header.action == WSManAction.addressingFault)

        let (missing, _) = try harness.exchange(.get(WSManResource(.cim, "CIM_NoSuchThing"), messageID: "5"))
        #expect(missing.status == 400)
        let missingFault = try #require(try WSManEnvelope(bytes: missing.body).fault)
        #expect(missingFault.subcodeName == "DestinationUnreachable")
        #expect(missingFault.detail?.hasSuffix("InvalidResourceURI") == true)

        let (putOther, _) = try harness.exchange(.put(.amtGeneralSettings, instance: WSManInstance(className: "x"), messageID: "6"))
        #expect(try WSManEnvelope(bytes: putOther.body).fault?.subcodeName == "ActionNotSupported")

        let (garbage, _) = try harness.exchange(WSManRequest(action: "", resourceURI: "", messageID: "7"))
        #expect(garbage.status == 400)
        #expect(harness.firmware.calls.compactMap(\.fault) == [
            "b:ActionNotSupported", "b:DestinationUnreachable", "b:ActionNotSupported", "b:DestinationUnreachable",
        ])
    }

    @Test func pullWithUnknownContextFaults() throws {
        let harness = FirmwareHarness()
        let (response, _) = try harness.exchange(.pull(.cimSoftwareIdentity, context: "nope", messageID: "0"))
        #expect(response.status == 500)
        #expect(try WSManEnvelope(bytes: response.body).fault?.subcodeName == "InvalidEnumerationContext")
    }

    @Test func versionAndSetupReflectTheProfile() throws {
        for profile in [FirmwareProfile.amt11, .amt12, .amt16] {
            let harness = FirmwareHarness(profile: profile)
            let items = try harness.enumerate(.cimSoftwareIdentity)
            let versions = Dictionary(uniqueKeysWithValues: items.map { ($0.string("InstanceID") ?? "", $0.string("VersionString") ?? "") })
            #expect(versions["AMT"] == profile.amtVersion)
            #expect(versions["Flash"] == profile.amtVersion)
            #expect(versions["Build Number"] == profile.buildNumber)
            #expect(versions["Sku"] == "16392")
            #expect(items.count == 11)
            let setup = try harness.call(.get(.amtSetupAndConfigurationService, messageID: "9")).requireInstance()
            #expect(setup.int("ProvisioningState") == 2)
            let capabilities = try harness.call(.get(.amtBootCapabilities, messageID: "10")).requireInstance("AMT_BootCapabilities")
            #expect(capabilities.bool("BIOSSetup") == true)
            #expect((capabilities["ForceUEFIHTTPSBoot"] != nil) == (profile.majorVersion >= 16))
            let boot = try harness.call(.get(.amtBootSettingData, messageID: "11")).requireInstance()
            #expect((boot["UefiBootNumberOfParams"] != nil) == profile.uefiBootSettings)
        }
    }

    @Test func hardwareInfoClassesAnswer() throws {
        let harness = FirmwareHarness(profile: .amt12)
        let package = try harness.call(.get(.cimComputerSystemPackage, messageID: "0")).requireInstance("CIM_ComputerSystemPackage")
        #expect(package.string("PlatformGUID") == "44454C4C4B0010428033B6C04F504633")
        #expect(package["Antecedent"]?.object?["ReferenceParameters"] != nil)
        let chassis = try harness.call(.get(.cimChassis, messageID: "1")).requireInstance("CIM_Chassis")
        #expect(chassis.string("Model") == FirmwareProfile.amt12.hardware.chassisModel)
        let bios = try harness.call(.get(.cimBIOSElement, messageID: "2")).requireInstance("CIM_BIOSElement")
        #expect(bios["ReleaseDate"]?.object?.string("Datetime") == "2019-06-18T00:00:00Z")
        #expect(try harness.call(.get(.cimCard, messageID: "3")).requireInstance("CIM_Card").string("Model") == "NUC8BEB")
        #expect(try harness.enumerate(.cimProcessor).first?.className == "CIM_Processor")
        #expect(try harness.enumerate(.cimPhysicalMemory).map { $0.string("BankLabel") } == ["BANK 0", "BANK 2"])
        #expect(try harness.enumerate(.cimMediaAccessDevice).count == 1)
        #expect(try harness.enumerate(.cimPhysicalPackage).first?.className == "CIM_Card")
        #expect(try harness.enumerate(.cimChip).first?.string("Version") == FirmwareProfile.amt12.hardware.processorName)
    }
}
