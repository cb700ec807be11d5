import Activation
import AMTSimulator
import Foundation
import TetherJSON
import TetherTLS
import Testing

@Suite("ACM journey: domain + test provisioning certificate → AdminSetup → CIRA → reset to BIOS", .serialized)
struct ACMJourneyTests {
    static let suffix = "acm.example.com"

    /// The test's provisioning certificate: a new root and a leaf for `prov.<suffix>` with AMT's
    /// activation EKU, in a PFX with the chain (made in-process; launching `openssl` from
    /// several suites at once has crashed corelibs' `Process.run`).
    struct Fixture: Sendable {
        var pfxBase64: String
        var password: String
        var rootSHA256: String
    }

    static let bed = Task<(ActivationHost, Fixture), any Error> {
        let bed = try await ActivationHost.shared.value
        let password = "Pfx-P@ss-\(UUID().uuidString.prefix(6))"
        let made = try ProvisioningCertificate.makeDevelopment(domainSuffix: suffix, password: password)
        let fixture = Fixture(pfxBase64: made.pfxBase64, password: password, rootSHA256: made.rootSHA256)
        _ = try await bed.run("domains.create", [
            "profileName": "acmdomain", "domainSuffix": .string(suffix), "provisioningCert": .string(fixture.pfxBase64),
            "provisioningCertStorageFormat": "string", "provisioningCertPassword": .string(fixture.password),
        ])
        try await bed.createProfile("acm-journey", mode: "acmactivate", commonName: "127.0.0.3")
        return (bed, fixture)
    }

    func activate(_ firmware: AMTFirmware) async throws -> RPCOutcome {
        let (bed, _) = try await Self.bed.value
        return try await RPCClient.run(
            method: "activate --profile acm-journey", firmware: firmware,
            payload: firmware.devicePayload(hostname: "acm-device"), options: RPCClientOptions(url: bed.activationURL))
    }

    @Test("AdminSetup with the chain and signed nonces; MEBx set; the device connects over CIRA and resets to BIOS")
    func adminControlJourney() async throws {
        let (bed, fixture) = try await Self.bed.value
        let firmware = unprovisionedFirmware(dnsSuffix: Self.suffix, certHashes: [String(repeating: "ab", count: 32), fixture.rootSHA256])
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let outcome = try await activate(firmware)
        #expect(outcome.succeeded, "\(outcome)")
        #expect(ActivationStatusReport.parse(outcome.message)?.Status == "Admin control mode.")
        let setup = try #require(firmware.provisioning)
        #expect(setup.controlMode == 2)
        #expect(setup.provisioningChain.count == 2)
        let store = try #require(bed.host.store)
        let secrets = try await store.devices.secrets(guid: guid)
        #expect(secrets.mebxPassword?.reveal() == setup.mebxPassword)
        #expect(setup.mebxPassword?.count == 16)

        let dialIn = try await bed.dialInAndResetToBIOS(firmware)
        defer { Task { await dialIn.device.stop() } }
        #expect(dialIn.status == .connected)
        #expect(dialIn.tunnelUp)
        #expect(dialIn.returnValue == 0, "\(dialIn.result)")
        #expect(firmware.state.lastBoot == .biosSetup)
    }

    @Test("CCM → ACM: a CCM device activated again with an ACM profile is upgraded (UpgradeClientToAdmin), re-keyed, MEBx set")
    func upgradeClientToAdmin() async throws {
        let (bed, fixture) = try await Self.bed.value
        try await bed.createProfile("acm-upgrade-ccm", commonName: "127.0.0.3")
        let firmware = unprovisionedFirmware(dnsSuffix: Self.suffix, certHashes: [fixture.rootSHA256])
        let guid = firmware.configuration.uuid.guidString.lowercased()
        let options = RPCClientOptions(url: bed.activationURL)
        let ccm = try await RPCClient.run(
            method: "activate --profile acm-upgrade-ccm", firmware: firmware, payload: firmware.devicePayload(hostname: "up"), options: options)
        #expect(ccm.succeeded, "\(ccm)")
        #expect(firmware.provisioning?.controlMode == 1)
        let store = try #require(bed.host.store)
        let ccmPassword = try #require(try await store.devices.secrets(guid: guid).amtPassword?.reveal())

        let wrong = try await RPCClient.run(
            method: "activate --profile acm-journey", firmware: firmware,
            payload: firmware.devicePayload(hostname: "up", adminPassword: "Wr0ng-P@ss-1"), options: options)
        #expect(wrong.message == "AMT password DOES NOT match stored version for Device \(firmware.configuration.uuid.guidString)")
        #expect(firmware.provisioning?.controlMode == 1)

        let upgraded = try await RPCClient.run(
            method: "activate --profile acm-journey", firmware: firmware,
            payload: firmware.devicePayload(hostname: "up", adminPassword: ccmPassword), options: options)
        #expect(upgraded.succeeded, "\(upgraded)")
        #expect(ActivationStatusReport.parse(upgraded.message)?.Status == "Upgraded to admin control mode.")
        let setup = try #require(firmware.provisioning)
        #expect(setup.controlMode == 2)
        #expect(setup.provisioningChain.count == 2)
        let secrets = try await store.devices.secrets(guid: guid)
        let acmPassword = try #require(secrets.amtPassword?.reveal())
        #expect(acmPassword != ccmPassword, "re-keyed to the ACM profile's (random) password")
        #expect(setup.adminPasswordDigest == AMTPasswordDigestOf(acmPassword, firmware))
        #expect(secrets.mebxPassword?.reveal() == setup.mebxPassword && setup.mebxPassword != nil)
        #expect(try await store.devices.get(guid: guid).deviceInfo?.currentMode == "2")
        let calls = firmware.calls.map(\.method)
        #expect(calls.contains("UpgradeClientToAdmin") && !calls.contains("AdminSetup"))
        let records = try await bed.run("activations.list", ["guid": .string(guid), "limit": 1])
        let names = records.arrayValue?.first?["steps"]?.arrayValue?.compactMap { $0["step"]?.stringValue } ?? []
        #expect(names.prefix(6) == ["general-settings", "host-based-setup-service", "add-next-cert-in-chain",
                                    "add-next-cert-in-chain", "upgrade-client-to-admin", "set-admin-acl-entry"], "\(names)")
    }

    @Test("ACM without a domain for the device's DNS suffix")
    func noDomain() async throws {
        let (_, fixture) = try await Self.bed.value
        let firmware = unprovisionedFirmware(dnsSuffix: "elsewhere.example.org", certHashes: [fixture.rootSHA256])
        let outcome = try await activate(firmware)
        #expect(outcome.method == "error")
        #expect(outcome.message.contains("Specified AMT domain suffix: elsewhere.example.org does not match list of available AMT domain suffixes."))
        #expect(firmware.provisioning?.controlMode == 0)
    }

    @Test("ACM with a provisioning root whose hash the device lacks")
    func rootNotTrusted() async throws {
        let firmware = unprovisionedFirmware(dnsSuffix: Self.suffix, certHashes: [String(repeating: "cd", count: 32)])
        let outcome = try await activate(firmware)
        #expect(outcome.method == "error")
        #expect(outcome.message == "Invalid domain certificate, hash does not exists in list of trusted root certificates on AMT")
        #expect(outcome.wsmanCount == 0)
    }
}
