import Foundation
import Testing
@testable import Store

@Suite struct DomainTests {
    @Test func validPFXPassesAndYieldsExpiry() async throws {
        try await withTemporaryDirectory { dir in
            let pfx = try makePFX(commonName: "*.vprodemo.com", days: 30, password: "P@ssw0rd", in: dir)
            let draft = DomainDraft(profileName: "vprodemo", domainSuffix: "vprodemo.com", provisioningCert: pfx,
                                    provisioningCertPassword: "P@ssw0rd", provisioningCertStorageFormat: "raw")
            let result = DomainValidator().validateCreate(draft)
            #expect(result.errors == [])
            let info = try #require(result.certificate)
            #expect(info.leafCommonName == "*.vprodemo.com")
            #expect(info.certificateCount == 1)
            let days = info.expirationDate.timeIntervalSinceNow / 86_400
            #expect(days > 29 && days < 31)
            for suffix in ["test.vprodemo.com", "intel.VPRODEMO.com"] {
                var other = draft
                other.domainSuffix = suffix
                #expect(DomainValidator().validateCreate(other).errors == [])
            }
            for suffix in ["wrong.com", "test.wrong.com"] {
                var other = draft
                other.domainSuffix = suffix
                #expect(DomainValidator().validateCreate(other).errors
                    == [FieldError(field: "domainSuffix", message: "FQDN not associated with provisioning certificate")])
            }
        }
    }

    @Test func wrongPasswordExpiredAndKeylessPFX() async throws {
        try await withTemporaryDirectory { dir in
            let good = try makePFX(commonName: "x.vprodemo.com", days: 30, password: "P@ssw0rd", in: dir)
            let decrypt = FieldError(field: "provisioningCertPassword", message: "Unable to decrypt provisioning certificate. Please check that the password is correct, and that the certificate is a valid certificate.")
            let wrong = DomainValidator().validateCreate(DomainDraft(
                profileName: "d", domainSuffix: "vprodemo.com", provisioningCert: good,
                provisioningCertPassword: "Wrong123!", provisioningCertStorageFormat: "string"))
            #expect(wrong.errors == [decrypt])
            #expect(wrong.certificate == nil)

            let expired = try makePFX(commonName: "x.vprodemo.com", days: -1, password: "P@ssw0rd", in: dir)
            let expiredResult = DomainValidator().validateCreate(DomainDraft(
                profileName: "d", domainSuffix: "vprodemo.com", provisioningCert: expired,
                provisioningCertPassword: "P@ssw0rd", provisioningCertStorageFormat: "string"))
            #expect(expiredResult.errors == [FieldError(field: "provisioningCert", message: "Uploaded certificate has expired")])
            // The same certificate was valid two days ago.
            #expect(DomainValidator().validateCreate(DomainDraft(
                profileName: "d", domainSuffix: "vprodemo.com", provisioningCert: expired,
                provisioningCertPassword: "P@ssw0rd", provisioningCertStorageFormat: "string"), now: Date() - 2 * 86_400).errors == [])

            let keyless = try makePFX(commonName: "x.vprodemo.com", days: 30, password: "P@ssw0rd", includeKey: false, in: dir)
            #expect(throws: PKCS12Error.noPrivateKey) { try PKCS12Inspector.inspect(base64: keyless, password: "P@ssw0rd") }
            let keylessResult = DomainValidator().validateCreate(DomainDraft(
                profileName: "d", domainSuffix: "vprodemo.com", provisioningCert: keyless,
                provisioningCertPassword: "P@ssw0rd", provisioningCertStorageFormat: "string"))
            #expect(keylessResult.errors == [FieldError(field: "provisioningCert", message: "Provisioning certificate does not contain a private key")])

            #expect(throws: PKCS12Error.cannotDecrypt) { try PKCS12Inspector.inspect(base64: Data("junk".utf8).base64EncodedString(), password: "x") }
            #expect(throws: PKCS12Error.notBase64) { try PKCS12Inspector.inspect(base64: "!!!", password: "x") }
        }
    }

    @Test func legacyEncryptedPFXOpens() async throws {
        try await withTemporaryDirectory { directory in
            let pfx = try makePFX(commonName: "legacy.vprodemo.com", days: 30, password: "Intel123!", legacyEncryption: true, in: directory)
            let info = try PKCS12Inspector.inspect(base64: pfx, password: "Intel123!")
            #expect(info.leafCommonName == "legacy.vprodemo.com")
            #expect(throws: PKCS12Error.cannotDecrypt) { try PKCS12Inspector.inspect(base64: pfx, password: "wrong") }
        }
    }

    @Test func requiredFieldMessagesInOrder() {
        let empty = DomainValidator().validateCreate(DomainDraft())
        #expect(empty.errors.map(\.message) == [
            "AMT Domain profile name is required",
            "AMT Domain profile name accepts letters, numbers, special characters and no spaces",
            "Provisioning Cert Storage Format is required",
            "Provisioning Cert Storage Format should be either 'raw' or 'string'",
            "Provisioning Cert Password is required",
            "Domain suffix name is required",
            "Provisioning certificate is required",
        ])
        let noCert = DomainValidator().validateCreate(DomainDraft(
            profileName: "vpro demo", domainSuffix: "vprodemo.com", provisioningCertPassword: String(repeating: "a", count: 65),
            provisioningCertStorageFormat: "wrong"))
        #expect(noCert.errors == [
            FieldError(field: "profileName", message: "AMT Domain profile name accepts letters, numbers, special characters and no spaces"),
            FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format should be either 'raw' or 'string'"),
            FieldError(field: "provisioningCertPassword", message: "Password should not exceed 64 characters in length"),
            FieldError(field: "provisioningCertPassword", message: "Unable to decrypt provisioning certificate. Please check that the password is correct, and that the certificate is a valid certificate."),
            FieldError(field: "provisioningCert", message: "Provisioning certificate is required"),
        ])
        let update = DomainValidator().validateUpdate(DomainDraft(profileName: "d", provisioningCert: "abc", provisioningCertStorageFormat: "x"))
        #expect(update.errors == [
            FieldError(field: "provisioningCertPassword", message: "Provisioning Cert Password is required"),
            FieldError(field: "provisioningCertStorageFormat", message: "Provisioning Cert Storage Format is either \"raw\" or \"string\""),
        ])
        #expect(DomainValidator().validateUpdate(DomainDraft(profileName: "d", domainSuffix: "new.com")).errors == [])
        // The body-only part (checked before the 404) never opens the PFX.
        let fieldsOnly = DomainDraft(profileName: "d", provisioningCert: "test", provisioningCertPassword: "P@ssw0rd", provisioningCertStorageFormat: "raw")
        #expect(DomainValidator().validateUpdateFields(fieldsOnly) == [])
        #expect(DomainValidator().validateUpdateCertificate(fieldsOnly).errors.map(\.message) == [
            "Unable to decrypt provisioning certificate. Please check that the password is correct, and that the certificate is a valid certificate.",
        ])
    }

    @Test func repositoryRoundTripDuplicatesAndSuffixLookup() async throws {
        try await withStore { store, _ in
            let expiry = Date(timeIntervalSince1970: 1_900_000_000)
            let created = try await store.domains.create(
                Domain(profileName: "vprodemo", domainSuffix: "vprodemo.com", provisioningCertStorageFormat: .raw, expirationDate: expiry),
                certificate: ProvisioningCertificateSecret(pfxBase64: Secret("UEZY"), password: Secret("P@ssw0rd")))
            #expect(created.version == 1 && created.expirationDate == expiry)
            await #expect(throws: StoreError.duplicate(.domain, name: "vproDemo")) {
                try await store.domains.create(
                    Domain(profileName: "vproDemo", domainSuffix: "other.com", expirationDate: expiry),
                    certificate: ProvisioningCertificateSecret(pfxBase64: Secret("x"), password: Secret("y")))
            }
            await #expect(throws: StoreError.duplicate(.domain, name: "newvprodemo")) {
                try await store.domains.create(
                    Domain(profileName: "newvprodemo", domainSuffix: "VPRODEMO.com", expirationDate: expiry),
                    certificate: ProvisioningCertificateSecret(pfxBase64: Secret("x"), password: Secret("y")))
            }
            #expect(StoreError.duplicate(.domain, name: "vproDemo").message == "Domain vproDemo ID or Suffix already exists")
            #expect(try await store.domains.find(domainSuffix: "VProDemo.com")?.profileName == "vprodemo")
            #expect(try await store.domains.find(domainSuffix: "test.vprodemo.com") == nil)
            let cert = try await store.domains.provisioningCertificate(profileName: "vprodemo")
            #expect(cert.pfxBase64.reveal() == "UEZY" && cert.password.reveal() == "P@ssw0rd")

            try await store.domains.create(
                Domain(profileName: "second", domainSuffix: "second.com", expirationDate: expiry),
                certificate: ProvisioningCertificateSecret(pfxBase64: Secret("x"), password: Secret("y")))
            var second = try await store.domains.get(profileName: "second")
            second.domainSuffix = "vprodemo.com"
            await #expect(throws: StoreError.duplicate(.domain, name: "second")) { try await store.domains.update(second) }
            second.domainSuffix = "third.com"
            let updated = try await store.domains.update(second, certificate: ProvisioningCertificateSecret(pfxBase64: Secret("NEW"), password: Secret("pw2")))
            #expect(updated.version == 2 && updated.domainSuffix == "third.com")
            #expect(try await store.domains.provisioningCertificate(profileName: "second").pfxBase64.reveal() == "NEW")
            await #expect(throws: StoreError.conflict(.domain, name: "second", currentVersion: 2)) { try await store.domains.update(second) }
            #expect(try await store.domains.list(page: PageRequest(top: 1)).totalCount == 2)
            try await store.domains.delete(profileName: "SECOND")
            await #expect(throws: StoreError.notFound(.domain, name: "second")) { try await store.domains.get(profileName: "second") }
            #expect(StoreError.notFound(.domain, name: "x").message == "Domain profile x Not Found")
        }
    }
}
