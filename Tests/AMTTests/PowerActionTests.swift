import AMTSimulator
import Foundation
import PluginHost
import Testing
import TetherCore
import TetherJSON
import WSMan

/// `power.action` through the bundled `io.tether.power-standard` plugin (and the C vendor
/// example), against simulated devices over real CIRA tunnels; the firmware's call log must show
/// exactly the WS-Man sequence of each action with the right values.
@Suite struct PowerActionTests {
    struct Case: Sendable, CustomStringConvertible {
        var code: Int
        var startsOff: Bool
        var biosSetup = false
        var useIDER = false
        var iderDevice = 0
        var pxe = false
        var powerState: Int
        var expectedPower: Int
        var expectedBoot: FirmwareState.BootTarget?
        var isBoot: Bool { code >= 100 }
        var description: String { "action \(code)" }
    }

    static let cases: [Case] = [
        Case(code: 2, startsOff: true, powerState: 2, expectedPower: 2, expectedBoot: .normal),
        Case(code: 4, startsOff: false, powerState: 4, expectedPower: 4),
        Case(code: 5, startsOff: false, powerState: 5, expectedPower: 2, expectedBoot: .normal),
        Case(code: 7, startsOff: false, powerState: 7, expectedPower: 7),
        Case(code: 8, startsOff: false, powerState: 8, expectedPower: 8),
        Case(code: 10, startsOff: false, powerState: 10, expectedPower: 2, expectedBoot: .normal),
        Case(code: 12, startsOff: false, powerState: 12, expectedPower: 8),
        Case(code: 14, startsOff: false, powerState: 14, expectedPower: 2, expectedBoot: .normal),
        Case(code: 100, startsOff: true, biosSetup: true, powerState: 2, expectedPower: 2, expectedBoot: .biosSetup),
        Case(code: 101, startsOff: false, biosSetup: true, powerState: 10, expectedPower: 2, expectedBoot: .biosSetup),
        Case(code: 200, startsOff: false, useIDER: true, powerState: 10, expectedPower: 2, expectedBoot: .ider(device: 0)),
        Case(code: 201, startsOff: true, useIDER: true, powerState: 2, expectedPower: 2, expectedBoot: .ider(device: 0)),
        Case(code: 202, startsOff: false, useIDER: true, iderDevice: 1, powerState: 10, expectedPower: 2, expectedBoot: .ider(device: 1)),
        Case(code: 203, startsOff: true, useIDER: true, iderDevice: 1, powerState: 2, expectedPower: 2, expectedBoot: .ider(device: 1)),
        Case(code: 400, startsOff: false, pxe: true, powerState: 10, expectedPower: 2, expectedBoot: .forcedSource(BootSource.pxe.instanceID)),
        Case(code: 401, startsOff: true, pxe: true, powerState: 2, expectedPower: 2, expectedBoot: .forcedSource(BootSource.pxe.instanceID)),
    ]

    @Test(arguments: cases)
    func standardActionRunsTheReferenceSequence(_ c: Case) async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(1000 + c.code)
        let (device, firmware) = try await bed.connect(uuid) { $0.powerState = c.startsOff ? 8 : 2 }
        let reply = try await bed.host.bus.run(
            "power.action", args: ["guid": .string(uuid.guidString), "action": .number(c.code), "useSOL": .bool(c.code == 101)])
        #expect(reply["returnValue"] == 0 && reply["returnValueName"] == "SUCCESS", "\(reply)")
        let calls = firmware.calls
        // The device starts with no boot options pending, so the Put is sent only when the action
        // sets one (BIOS setup, IDE-R, SOL); otherwise it would change nothing and is skipped
        // (`pendingBootOptionsAreClearedBeforeAPlainAction` covers the Put of a plain action).
        let setsBootOption = c.biosSetup || c.useIDER || c.code == 101
        let expected = ["Get AMT_BootSettingData"]
            + (setsBootOption ? ["Put AMT_BootSettingData"] : [])
            + (c.isBoot ? ["SetBootConfigRole CIM_BootService", "ChangeBootOrder CIM_BootConfigSetting"] : [])
            + ["RequestPowerStateChange CIM_PowerManagementService"]
        #expect(calls.map { "\($0.method) \($0.resourceClass)" } == expected)
        #expect(calls.contains { $0.method == "Put" } == setsBootOption)
        if c.isBoot {
            let offset = setsBootOption ? 1 : 0
            #expect(calls[1 + offset].inputs["Role"] == "1")
            #expect(calls[2 + offset].inputs["Source"] == (c.pxe ? BootSource.pxe.instanceID : ""))
        }
        if setsBootOption {
            let put = try #require(calls.first { $0.method == "Put" })
            #expect(put.inputs["BIOSSetup"] == String(c.biosSetup))
            #expect(put.inputs["UseIDER"] == String(c.useIDER))
            #expect(put.inputs["IDERBootDevice"] == String(c.iderDevice))
            #expect(put.inputs["UseSOL"] == String(c.code == 101))
            #expect(put.inputs["InstanceID"] == "Intel(r) AMT:BootSettingData 0")
        }
        #expect(calls.last?.inputs["PowerState"] == String(c.powerState))
        #expect(calls.last?.returnValue == 0)
        let state = firmware.state
        #expect(state.powerState == c.expectedPower)
        if let boot = c.expectedBoot { #expect(state.lastBoot == boot) }
        await device.stop()
    }

    /// Boot options left pending on the device (a boot-to-BIOS that never ran, set by another
    /// tool) are cleared by the next plain action, which then needs its Put.
    @Test(arguments: [10, 8])
    func pendingBootOptionsAreClearedBeforeAPlainAction(_ code: Int) async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(2100 + code)
        let (device, firmware) = try await bed.connect(uuid)
        firmware.modifyState {
            $0.bootSettings.biosSetup = true
            $0.bootSettings.useSOL = true
        }
        let reply = try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": .number(code)])
        #expect(reply["returnValue"] == 0, "\(reply)")
        let calls = firmware.calls
        #expect(calls.map { $0.method } == ["Get", "Put", "RequestPowerStateChange"])
        #expect(calls[1].inputs["BIOSSetup"] == "false")
        #expect(calls[1].inputs["UseSOL"] == "false")
        #expect(!firmware.state.bootSettings.biosSetup)
        if code == 10 { #expect(firmware.state.lastBoot == FirmwareState.BootTarget.normal) }
        await device.stop()
    }

    @Test func actionsCanBeNamedAndAreListed() async throws {
        let bed = try await HostTestBed.shared.value
        let list = try await bed.host.bus.run("power.actions")
        let actions = list["actions"]?.arrayValue ?? []
        #expect(actions.count == 17)
        #expect(actions.contains { $0["code"] == 101 && $0["name"] == "reset-to-bios" && $0["plugin"] == "io.tether.power-standard" })
        #expect(actions.contains { $0["code"] == 900 && $0["plugin"] == "com.example.signage.display-restart" })
        #expect(list["conflicts"] == [])

        let uuid = amtTestUUID(2001)
        let (device, firmware) = try await bed.connect(uuid)
        _ = try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": "Reset-To-BIOS"])
        #expect(firmware.calls.first { $0.method == "Put" }?.inputs["BIOSSetup"] == "true")
        #expect(firmware.calls.last?.inputs["PowerState"] == "10")
        #expect(firmware.state.lastBoot == .biosSetup)
        await device.stop()
    }

    @Test(arguments: [JSONValue.number(9), "explode", .null])
    func unknownActionsAreBadRequestsListingTheValidOnes(_ action: JSONValue) async throws {
        let bed = try await HostTestBed.shared.value
        let error = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("power.action", args: ["guid": "abcdef00-0000-4000-8000-00000000ffff", "action": action])
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("101 reset-to-bios") == true)
        #expect(error?.message.contains("900 display-restart") == true)
    }

    @Test func aDeviceThatIsNotConnectedFailsAtOnce() async throws {
        let bed = try await HostTestBed.shared.value
        let started = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("power.action", args: ["guid": "abcdef00-0000-4000-8000-00000000fffe", "action": 8])
        }
        #expect(error?.code == .notConnected)
        #expect(ContinuousClock.now - started < .seconds(5))  // far below the 10 s call deadline
        let state = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("amt.power.state", args: ["guid": "abcdef00-0000-4000-8000-00000000fffe"])
        }
        #expect(state?.code == .notConnected)
    }

    @Test func aRefusedStepIsNamedInTheError() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(2002)
        // Sleep needs the OS agent: with the OS down the device answers NOT_READY.
        let (device, firmware) = try await bed.connect(uuid) { $0.osRunning = false }
        let error = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": "sleep"])
        }
        #expect(error?.code == .deviceError)
        #expect(error?.message.contains("step RequestPowerStateChange failed") == true)
        #expect(error?.message.contains("NOT_READY") == true)
        #expect(firmware.state.powerState == 2)
        await device.stop()
    }

    /// The boot settings step is one host command of up to two WS-Man calls; a failure names
    /// the call, and nothing after it is sent.
    @Test func aRefusedBootSettingsPutIsNamedInTheError() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(2006)
        let (device, firmware) = try await bed.connect(uuid)
        var faults = FirmwareFaults()
        faults.refuseOperations = ["Put"]
        firmware.setFaults(faults)
        let error = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": "reset-to-bios"])
        }
        #expect(error?.code == .deviceError)
        #expect(error?.message.contains("step Put AMT_BootSettingData failed (not sent)") == true, "\(error?.message ?? "")")
        #expect(error?.detail?["step"] == "Put AMT_BootSettingData" && error?.detail?["sent"] == false)
        #expect(firmware.calls.map(\.method) == ["Get", "Put"])
        #expect(firmware.state.powerState == 2 && !firmware.state.bootSettings.biosSetup)
        await device.stop()
    }

    @Test func wrongStoredAMTPasswordIsAClearAuthError() async throws {
        let bed = try await HostTestBed.shared.value
        let uuid = amtTestUUID(2003)
        let (device, firmware) = try await bed.connect(uuid, storedAMTPassword: "not-the-password")
        let error = await #expect(throws: CommandError.self) {
            try await bed.host.bus.run("power.action", args: ["guid": .string(uuid.guidString), "action": 8])
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("step Get AMT_BootSettingData failed (not sent)") == true)
        #expect(error?.message.contains("wrong AMT password") == true)
        #expect(firmware.calls.isEmpty)
        #expect(firmware.state.powerState == 2)
        await device.stop()
    }

    @Test func cVendorActionSoftResetsAndFallsBackToHardReset() async throws {
        let bed = try await HostTestBed.shared.value
        let soft = amtTestUUID(2004)
        let (softDevice, softFirmware) = try await bed.connect(soft)
        let reply = try await bed.host.bus.run("power.action", args: ["guid": .string(soft.guidString), "action": "display-restart"])
        #expect(reply["returnValueName"] == "SUCCESS")
        #expect(reply["powerState"] == 14)
        #expect(softFirmware.calls.map { $0.inputs["PowerState"] ?? "-" } == ["14"])
        #expect(softFirmware.state.bootCount == 1)
        await softDevice.stop()

        let hard = amtTestUUID(2005)
        let (hardDevice, hardFirmware) = try await bed.connect(hard) { $0.osRunning = false }
        let fallback = try await bed.host.bus.run("power.action", args: ["guid": .string(hard.guidString), "action": 900])
        #expect(fallback["powerState"] == 10)
        #expect(hardFirmware.calls.map(\.method) == ["RequestPowerStateChange", "RequestPowerStateChange"])
        #expect(hardFirmware.calls.map { $0.returnValue } == [2, 0])
        #expect(hardFirmware.calls.map { $0.inputs["PowerState"] ?? "-" } == ["14", "10"])
        #expect(hardFirmware.state.bootCount == 1)
        await hardDevice.stop()
    }
}
