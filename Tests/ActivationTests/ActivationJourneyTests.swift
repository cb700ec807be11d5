import Activation
import AMTSimulator
import APF
import Foundation
import Store
import TetherCore
import TetherJSON
import Synchronization
import Testing

@Suite("Activation journey: CIRA config → profile → activate over /activate → CIRA → reset to BIOS", .serialized)
struct ActivationJourneyTests {
    @Test("CCM: a CN the server certificate lacked is added, the device dials in with what was written, reset-to-BIOS reaches it")
    func clientControlJourney() async throws {
        let bed = try await ActivationHost.shared.value
        #expect(bed.host.certificateAuthority?.serverCertificateCovers("127.0.0.5") == false)
        try await bed.createProfile("ccm-journey", commonName: "127.0.0.5")

        let firmware = unprovisionedFirmware()
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let finished = Mutex<[TetherEvent]>([])
        _ = bed.host.events.subscribe(name: "journey-\(guid)", patterns: [EventTypePattern("activation.finished")!]) { event in
            if event.guid == guid { finished.withLock { $0.append(event) } }
            return true
        }
        let outcome = try await RPCClient.run(
            method: "activate --profile ccm-journey", firmware: firmware,
            payload: firmware.devicePayload(hostname: "signage-01"), options: RPCClientOptions(url: bed.activationURL))
        #expect(outcome.succeeded, "\(outcome)")
        #expect(ActivationStatusReport.parse(outcome.message) == ActivationStatusReport(
            status: "Client control mode.", network: "Wired Network Configured", ciraConnection: "Configured", features: "Configured"))
        #expect(firmware.provisioning?.controlMode == 1)

        // Stored: sealed AMT and MPS passwords, MPS user from the CIRA config, tags from the profile.
        let store = try #require(bed.host.store)
        let device = try await store.devices.get(guid: guid)
        #expect(device.mpsUsername == "admin01")
        #expect(device.tags == ["activated"])
        #expect(device.hostname == "signage-01")
        let secrets = try await store.devices.secrets(guid: guid)
        let written = try #require(firmware.provisioning?.mpServers.first?.settings)
        #expect(secrets.mpsPassword?.reveal() == written.password)
        #expect(written.password.count == 16)
        #expect(written.address == "127.0.0.1")
        #expect(written.addressFormat == 3)
        #expect(written.commonName == "127.0.0.5")
        let amtPassword = try #require(secrets.amtPassword?.reveal())
        let expectedDigest = AMTPasswordDigestOf(amtPassword, firmware)
        #expect(firmware.provisioning?.adminPasswordDigest == expectedDigest)

        // The server certificate now covers the CN, re-issued from the same root without a restart.
        #expect(bed.host.certificateAuthority?.serverCertificateCovers("127.0.0.5") == true)
        #expect(bed.host.certificateAuthority?.serverCertificateCovers("127.0.0.1") == true)

        // The device dials in with exactly what was written (root and CN verified), and a power
        // action over the tunnel uses the AMT password activation stored.
        let dialIn = try await bed.dialInAndResetToBIOS(firmware)
        defer { Task { await dialIn.device.stop() } }
        #expect(dialIn.configuration.tls.commonName == "127.0.0.5")
        #expect(dialIn.configuration.serverPort == bed.ciraPort)
        #expect(dialIn.status == .connected)
        #expect(dialIn.tunnelUp)
        #expect(dialIn.returnValue == 0, "\(dialIn.result)")
        #expect(firmware.state.lastBoot == .biosSetup)

        // The step log is readable.
        let records = try await bed.run("activations.list", ["guid": .string(guid)])
        let record = try #require(records.arrayValue?.first)
        #expect(record["state"]?.stringValue == "succeeded")
        let steps: [JSONValue] = record["steps"]?.arrayValue ?? []
        let okSteps = steps.filter { (step: JSONValue) -> Bool in step["ok"]?.boolValue == true }
        #expect(steps.count >= 15)
        #expect(okSteps.count == steps.count)
        let id = try #require(record["id"]?.stringValue)
        let one = try await bed.run("activations.get", ["id": .string(id)])
        #expect(one["guid"]?.stringValue == guid)
        let logText = "\(records)"
        #expect(!logText.contains(written.password))

        // Subscribers heard of it: one activation.finished for this device, without a secret.
        #expect(await eventually { finished.withLock { !$0.isEmpty } })
        let event = try #require(finished.withLock { $0.first })
        #expect(event.fields["result"] == "succeeded" && event.fields["operation"] == "activate")
        #expect(event.fields["profile"] == "ccm-journey" && event.fields["id"]?.stringValue == id)
        #expect(!"\(event.json)".contains(written.password) && !"\(event.json)".contains(amtPassword))
    }
}

/// HA1 of `admin:<realm>:<password>` for the firmware's realm.
func AMTPasswordDigestOf(_ password: String, _ firmware: AMTFirmware) -> String {
    AMTPasswordDigestHex(realm: firmware.realm, password: password)
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
