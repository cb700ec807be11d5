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
