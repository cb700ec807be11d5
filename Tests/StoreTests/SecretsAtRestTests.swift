import Foundation
import Testing
@testable import Store

@Suite struct SecretsAtRestTests {
    @Test func databaseFilesNeverContainPlaintextSecrets() async throws {
        try await withStore { store, dir in
            let secrets = ["CiraPw-Plain-1!", "AmtPw-Plain-2!", "MebxPw-Plain-3!", "DevMps-Plain-4!", "DevAmt-Plain-5!", "PfxPw-Plain-6!", "PFXBASE64PLAINTEXTMARKER"]
            try await store.ciraConfigs.create(sampleCIRAConfig("visible-cira-name"), password: Secret(secrets[0]))
            try await store.profiles.create(
                Profile(profileName: "visible-profile", activation: .acm, generateRandomPassword: false),
                amtPassword: Secret(secrets[1]), mebxPassword: Secret(secrets[2]))
            try await store.devices.create(
                Device(guid: sampleGUID(1), hostname: "visible-host"),
                secrets: DeviceSecrets(mpsPassword: Secret(secrets[3]), amtPassword: Secret(secrets[4])))
            try await store.domains.create(
                Domain(profileName: "visible-domain", domainSuffix: "vprodemo.com", expirationDate: Date()),
                certificate: ProvisioningCertificateSecret(pfxBase64: Secret(secrets[6]), password: Secret(secrets[5])))

            var bytes = Data()
            for name in ["tether.sqlite", "tether.sqlite-wal"] {
                let url = dir.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) { bytes.append(try Data(contentsOf: url)) }
            }
            // The scan works: non-secret values are found in the raw bytes.
            #expect(contains(bytes, "visible-cira-name"))
            #expect(contains(bytes, "visible-host"))
            for secret in secrets {
                #expect(!contains(bytes, secret), "plaintext secret found in database files")
            }
            // And the records themselves expose no secret.
            let listed = "\(try await store.ciraConfigs.list()) \(try await store.profiles.list()) \(try await store.devices.list()) \(try await store.domains.list())"
            for secret in secrets { #expect(!listed.contains(secret)) }
            #expect(try await store.devices.secrets(guid: sampleGUID(1)).amtPassword?.reveal() == secrets[4])
        }
    }
}
