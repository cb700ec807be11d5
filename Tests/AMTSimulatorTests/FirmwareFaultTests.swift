import APF
import NIOCore
import Testing
import TetherTLS
import WSMan
@testable import AMTSimulator

@Suite struct FirmwareFaultTests {
    @Test func slowFirmwareAnswersAfterTheDelay() throws {
        let harness = FirmwareHarness()
        _ = try harness.exchange(.get(.amtGeneralSettings, messageID: "0"))
        var faults = FirmwareFaults()
        faults.responseDelay = .seconds(3)
        harness.firmware.setFaults(faults)
        let channel = try harness.open()
        channel.send(harness.httpRequest(WSManRequest.requestPowerStateChange(.offSoft, messageID: "1").utf8).encode())
        #expect(try channel.responses().isEmpty)
        #expect(harness.firmware.state.powerState == 8)
        harness.loop.advanceTime(by: .seconds(2))
        #expect(try channel.responses().isEmpty)
        harness.loop.advanceTime(by: .seconds(1))
        let response = try #require(try channel.responses().first)
        #expect(try WSManEnvelope(bytes: response.body).requireReturnValue() == .success)
    }

    @Test func hungFirmwareNeverAnswers() throws {
        let harness = FirmwareHarness()
        _ = try harness.exchange(.get(.amtGeneralSettings, messageID: "0"))
        var faults = FirmwareFaults()
        faults.neverAnswer = true
        harness.firmware.setFaults(faults)
        harness.firmware.clearCalls()
        let channel = try harness.open()
        channel.send(harness.httpRequest(WSManRequest.requestPowerStateChange(.offSoft, messageID: "1").utf8).encode())
        harness.loop.advanceTime(by: .seconds(600))
        #expect(channel.rawOutput.isEmpty)
        #expect(!channel.isClosed)
        #expect(harness.firmware.calls.isEmpty)
        #expect(harness.firmware.state.powerState == 2)
    }

    @Test func refusesTheFirstChannelOpens() throws {
        var faults = FirmwareFaults()
        faults.refuseChannelOpens = .resourceShortage
        faults.refuseFirstChannelOpens = 2
        let harness = FirmwareHarness { $0.faults = faults }
        for _ in 0..<2 {
            guard case .failure(let refusal) = harness.firmware.connect(port: AMTFirmware.wsmanPort) else {
                Issue.record("open accepted")
                return
            }
            #expect(refusal.reason == .resourceShortage)
        }
        guard case .success = harness.firmware.connect(port: AMTFirmware.wsmanPort) else {
            Issue.record("third open refused")
            return
        }
        #expect(harness.firmware.channelOpenCount == 3)
    }

    @Test func profilesSuggestTheirTLS() throws {
        #expect(FirmwareProfile(generation: 11) == .amt11)
        #expect(FirmwareProfile(generation: 13) == nil)
        #expect(FirmwareProfile.amt11.tls.maximumVersion == .tls1_1)
        #expect(FirmwareProfile.amt11.tls.cipherList?.contains("@SECLEVEL=0") == true)
        #expect(FirmwareProfile.amt12.tls.cipherList == "AES128-SHA256")
        #expect(FirmwareProfile.amt16.tls.maximumVersion == .tls1_2)
        #expect(FirmwareProfile.amt16.majorVersion == 16)
        var options = DeviceTLSOptions()
        FirmwareProfile.amt11.tls.apply(to: &options)
        #expect(options.minimumVersion == .tls1_1)
        #expect(options.maximumVersion == .tls1_1)
        #expect(options.cipherList == "AES128-SHA:AES256-SHA:@SECLEVEL=0")
    }
}
