import Activation
import AMTSimulator
import Foundation
import TetherJSON
import Testing

@Suite("Activation bad input: each refused with a clear error, the host keeps serving", .serialized)
struct ActivationBadInputTests {
    static let bed = Task<ActivationHost, any Error> {
        let bed = try await ActivationHost.shared.value
        try await bed.createProfile("ccm-bad")
        return bed
    }

    func activate(_ firmware: AMTFirmware, profile: String = "ccm-bad", payload: DevicePayload? = nil,
                  faults: RPCClientFaults = RPCClientFaults()) async throws -> RPCOutcome {
        let bed = try await Self.bed.value
        var options = RPCClientOptions(url: bed.activationURL)
        options.faults = faults
        options.timeout = .seconds(60)
        return try await RPCClient.run(
            method: "activate --profile \(profile)", firmware: firmware,
            payload: payload ?? firmware.devicePayload(hostname: "bad-input"), options: options)
    }

    func raw(_ text: String) async throws -> RPCOutcome {
        let bed = try await Self.bed.value
        return try await RPCClient.exchange(firstMessage: text, firmware: nil, options: RPCClientOptions(url: bed.activationURL))
    }

    func envelope(method: String = "activate --profile ccm-bad", version: String = "4.0.0", payload: String) -> String {
        RPSMessage(method: method, apiKey: "key", appVersion: "test", protocolVersion: version, status: "ok", message: "ok",
                   fqdn: "", payload: payload, tenantId: "").encoded()
    }

    @Test("unknown profile")
    func unknownProfile() async throws {
        let firmware = unprovisionedFirmware()
        let outcome = try await activate(firmware, profile: "no-such-profile")
        #expect(outcome.method == "error")
        #expect(outcome.message.contains("no-such-profile does not match list of available AMT profiles"))
        #expect(outcome.wsmanCount == 0)
        #expect(firmware.provisioning?.controlMode == 0)
    }

    @Test("a device already in admin control mode refuses a CCM profile")
    func alreadyInAnotherMode() async throws {
        let firmware = unprovisionedFirmware()
        var payload = firmware.devicePayload(hostname: "x")
        payload.currentMode = 2
        payload.password = "Whatever-P@ss1"
        let outcome = try await activate(firmware, payload: payload)
        #expect(outcome.method == "error")
        #expect(outcome.message == "Device \(payload.uuid) already enabled in admin control mode.")
    }

    @Test("unsupported protocol version")
    func protocolVersion() async throws {
        let payload = unprovisionedFirmware().devicePayload(hostname: "x").encodedBase64()
        let outcome = try await raw(envelope(version: "3.0.0", payload: payload))
        #expect(outcome.method == "error")
        #expect(outcome.message == "Error: protocol version NOT supported: 3.0.0")
    }

    @Test("payload not base64 JSON; envelope not JSON; unknown method")
    func malformed() async throws {
        let notBase64 = try await raw(envelope(payload: "%%%%"))
        #expect(notBase64.method == "error")
        #expect(notBase64.message.contains("Failed to parse client message payload"))
        let notJSON = try await raw(envelope(payload: Data("not json".utf8).base64EncodedString()))
        #expect(notJSON.message.contains("Failed to parse client message payload"))
        let junk = try await raw("this is not JSON")
        #expect(junk.method == "error")
        #expect(junk.message.contains("Failed to parse client message"))
        let payload = unprovisionedFirmware().devicePayload(hostname: "x")
        let unknown = try await raw(envelope(method: "provision --profile x", payload: payload.encodedBase64()))
        #expect(unknown.message.contains("Not a supported method"))
    }

    @Test("a message over the 102400-byte limit is refused with an error")
    func oversized() async throws {
        let big = envelope(payload: String(repeating: "A", count: 150_000))
        let outcome = try await raw(big)
        #expect(outcome.method == "error")
        #expect(outcome.message.contains("larger than 102400 bytes"))
    }

    @Test("a client that disconnects mid-activation leaves a failed record and can start again")
    func disconnectMidway() async throws {
        let bed = try await Self.bed.value
        let firmware = unprovisionedFirmware()
        let guid = firmware.configuration.uuid.guidString.lowercased()
        var faults = RPCClientFaults()
        faults.disconnectAfterWSMan = 2
        let first = try await activate(firmware, faults: faults)
        #expect(first.method == "closed")
        let failed = await eventually { await latestState(bed, guid) == "failed" }
        #expect(failed)
        #expect(firmware.provisioning?.controlMode == 0)
        let again = try await activate(firmware)
        #expect(again.succeeded, "\(again)")
        #expect(firmware.provisioning?.controlMode == 1)
    }

    @Test("a replayed response is refused as out of order")
    func replayed() async throws {
        var faults = RPCClientFaults()
        faults.replayResponseAfter = 3
        let outcome = try await activate(unprovisionedFirmware(), faults: faults)
        #expect(outcome.method == "error")
        #expect(outcome.message.contains("replayed or out of order"), "\(outcome)")
    }

    @Test("two activations of one device at once: the second is refused, the first completes")
    func concurrent() async throws {
        let firmware = unprovisionedFirmware()
        var slow = RPCClientFaults()
        slow.responseDelay = .milliseconds(300)
        let bed = try await Self.bed.value
        let guid = firmware.configuration.uuid.guidString.lowercased()
        async let first = activate(firmware, faults: slow)
        // The second starts once the first is known to be running (not after a fixed sleep:
        // under full-suite load the first could still be connecting).
        let running = await eventually(timeout: .seconds(60)) { await latestState(bed, guid) == "running" }
        try #require(running, "the first activation never started")
        let second = try await activate(firmware)
        #expect(second.method == "error")
        #expect(second.message.contains("Another operation on this device is in progress"))
        let firstOutcome = try await first
        #expect(firstOutcome.succeeded, "\(firstOutcome)")
    }

    @Test("deactivate: a wrong AMT password is refused; the right one unprovisions and forgets the device")
    func deactivate() async throws {
        let bed = try await Self.bed.value
        let firmware = unprovisionedFirmware()
        let guid = firmware.configuration.uuid.guidString.lowercased()
        #expect(try await activate(firmware).succeeded)
        let store = try #require(bed.host.store)
        let password = try #require(try await store.devices.secrets(guid: guid).amtPassword?.reveal())
        let options = RPCClientOptions(url: bed.activationURL)
        let wrong = try await RPCClient.run(
            method: "deactivate --password Wr0ng-P@ssword", firmware: firmware,
            payload: firmware.devicePayload(hostname: "x", adminPassword: "Wr0ng-P@ssword"), options: options)
        #expect(wrong.method == "error")
        #expect(wrong.message == "AMT password DOES NOT match stored version for Device \(firmware.configuration.uuid.guidString)")
        #expect(firmware.provisioning?.controlMode == 1)
        let right = try await RPCClient.run(
            method: "deactivate --password \(password)", firmware: firmware,
            payload: firmware.devicePayload(hostname: "x", adminPassword: password), options: options)
        #expect(right.succeeded, "\(right)")
        #expect(ActivationStatusReport.parse(right.message)?.Status == "Deactivated")
        #expect(firmware.provisioning?.controlMode == 0)
        let forgotten = (try? await store.devices.get(guid: guid)) == nil
        #expect(forgotten)
    }
}

/// The state of the newest activation record of `guid`.
func latestState(_ bed: ActivationHost, _ guid: String) async -> String? {
    let records: JSONValue? = try? await bed.run("activations.list", ["guid": .string(guid)])
    let first: JSONValue? = records?.arrayValue?.first
    return first?["state"]?.stringValue
}

@Suite("Maintenance over /activate: password rotation, clock sync, host name sync", .serialized)
struct ActivationMaintenanceTests {
    @Test("changepassword re-keys AMT and the stored password; synctime and synchostname reach the device")
    func maintenance() async throws {
        let bed = try await ActivationBadInputTests.bed.value
        let firmware = unprovisionedFirmware()
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let options = RPCClientOptions(url: bed.activationURL)
        let activated = try await RPCClient.run(
            method: "activate --profile ccm-bad", firmware: firmware, payload: firmware.devicePayload(hostname: "m"), options: options)
        #expect(activated.succeeded)
        let store = try #require(bed.host.store)
        let first = try #require(try await store.devices.secrets(guid: guid).amtPassword?.reveal())

        let rotated = try await RPCClient.run(
            method: "maintenance --password \(first) --changepassword R0tated-P@ss-9", firmware: firmware,
            payload: firmware.devicePayload(hostname: "m", adminPassword: first), options: options)
        #expect(rotated.succeeded, "\(rotated)")
        let stored = try await store.devices.secrets(guid: guid).amtPassword?.reveal()
        #expect(stored == "R0tated-P@ss-9")
        #expect(firmware.provisioning?.adminPasswordDigest == AMTPasswordDigestHex(realm: firmware.realm, password: "R0tated-P@ss-9"))

        let stale = try await RPCClient.run(
            method: "maintenance --password \(first) --synctime", firmware: firmware,
            payload: firmware.devicePayload(hostname: "m", adminPassword: first), options: options)
        #expect(stale.message == "AMT password DOES NOT match stored version for Device \(firmware.configuration.uuid.guidString)")

        let clock = try await RPCClient.run(
            method: "maintenance --password R0tated-P@ss-9 --synctime", firmware: firmware,
            payload: firmware.devicePayload(hostname: "m", adminPassword: "R0tated-P@ss-9"), options: options)
        #expect(clock.succeeded, "\(clock)")
        #expect(firmware.provisioning?.clockSync?.count == 3)

        let renamed = try await RPCClient.run(
            method: "maintenance --password R0tated-P@ss-9 --synchostname", firmware: firmware,
            payload: firmware.devicePayload(hostname: "kiosk-42", adminPassword: "R0tated-P@ss-9"), options: options)
        #expect(renamed.succeeded, "\(renamed)")
        #expect(firmware.provisioning?.hostName == "kiosk-42")
        let device = try await store.devices.get(guid: guid)
        #expect(device.hostname == "kiosk-42")
    }
}
