import Foundation
import PluginHost
import Testing
import TetherJSON

/// `domains.*` with PFX files made by openssl, and `devices.*`.
@Suite struct DomainAndDeviceCommandTests {
    @Test func domainsValidateThePFX() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        let pfx = try await PKCS12Fixture.make(commonName: "prov.vprodemo.com", password: "P@ssw0rd")
        let expired = try await PKCS12Fixture.make(commonName: "prov.vprodemo.com", password: "P@ssw0rd", expired: true)
        func body(_ changes: [String: JSONValue]) -> JSONValue {
            var base: [String: JSONValue] = [
                "profileName": "vprodemo", "domainSuffix": "vprodemo.com", "provisioningCert": .string(pfx),
                "provisioningCertStorageFormat": "raw", "provisioningCertPassword": "P@ssw0rd",
            ]
            for (key, value) in changes { base[key] = value == .null ? nil : value }
            return .object(base)
        }
        let cases: [(JSONValue, String)] = [
            (body(["provisioningCertPassword": "Wrong123!"]), "provisioningCertPassword: Unable to decrypt provisioning certificate. Please check that the password is correct, and that the certificate is a valid certificate."),
            (body(["provisioningCert": .string(expired)]), "provisioningCert: Uploaded certificate has expired"),
            (body(["domainSuffix": "wrong.com"]), "domainSuffix: FQDN not associated with provisioning certificate"),
            (body(["domainSuffix": .null]), "domainSuffix: Domain suffix name is required"),
            (body(["provisioningCertPassword": .null]), "provisioningCertPassword: Provisioning Cert Password is required"),
            (body(["provisioningCertPassword": .string(String(repeating: "a", count: 65))]), "provisioningCertPassword: Password should not exceed 64 characters in length"),
            (body(["provisioningCert": .null]), "provisioningCert: Provisioning certificate is required"),
            (body(["provisioningCertStorageFormat": .null]), "provisioningCertStorageFormat: Provisioning Cert Storage Format is required"),
            (body(["provisioningCertStorageFormat": "wrong"]), "provisioningCertStorageFormat: Provisioning Cert Storage Format should be either 'raw' or 'string'"),
            (body(["profileName": "bad name"]), "profileName: AMT Domain profile name accepts letters, numbers, special characters and no spaces"),
        ]
        for (request, expected) in cases {
            let error = await bed.failure("domains.create", request)
            #expect(error?.fields.contains(expected) == true, "\(expected) → \(error?.fields ?? [])")
        }
        let created = try await bed.run("domains.create", body([:]))
        #expect(created["domainSuffix"] == "vprodemo.com")
        #expect(created["provisioningCert"] == nil && created["provisioningCertPassword"] == nil)
        #expect(created["expirationDate"]?.stringValue?.hasPrefix(String(Calendar.current.component(.year, from: Date()) + 1)) == true)
        let duplicate = await bed.failure("domains.create", body(["profileName": "vproDemo"]))
        #expect(duplicate?.message == "Domain vproDemo ID or Suffix already exists")
        #expect(duplicate?.detail?["reason"] == "duplicate")
        let stale = await bed.failure("domains.update", ["profileName": "vprodemo", "domainSuffix": "test.vprodemo.com", "version": 9])
        #expect(stale?.code == .conflict && stale?.message.contains("version 1") == true)
        let updated = try await bed.run("domains.update", ["profileName": "vprodemo", "domainSuffix": "test.vprodemo.com", "version": "1"])
        #expect(updated["domainSuffix"] == "test.vprodemo.com")

        // Update: body rules, then 404 (RPS's order; Postman "Update Domain that doesn't exist"
        // sends "test" as the PFX), then the PFX checks RPS skips on PATCH.
        let unknown = await bed.failure("domains.update", [
            "profileName": "Domain", "domainSuffix": "test.com", "provisioningCert": "test",
            "provisioningCertStorageFormat": "raw", "provisioningCertPassword": "P@ssw0rd", "version": "751",
        ])
        #expect(unknown?.code == .notFound && unknown?.message == "Domain profile Domain Not Found")
        let tooLong = await bed.failure("domains.update", [
            "profileName": "Domain", "provisioningCertPassword": .string(String(repeating: "a", count: 65)),
        ])
        #expect(tooLong?.fields == ["provisioningCertPassword: Password should not exceed 64 characters in length"])
        let expiredUpdate = await bed.failure("domains.update", [
            "profileName": "vprodemo", "provisioningCert": .string(expired), "provisioningCertPassword": "P@ssw0rd", "version": "2",
        ])
        #expect(expiredUpdate?.fields == ["provisioningCert: Uploaded certificate has expired"])
        let otherSuffix = await bed.failure("domains.update", [
            "profileName": "vprodemo", "domainSuffix": "newvprodemo.com", "provisioningCert": .string(pfx),
            "provisioningCertPassword": "P@ssw0rd", "version": "2",
        ])
        #expect(otherSuffix?.fields == ["domainSuffix: FQDN not associated with provisioning certificate"])
        #expect(await bed.failure("domains.get", ["profileName": "dontexist"])?.message == "Domain profile dontexist Not Found")
        try await bed.run("domains.delete", ["profileName": "VPRODEMO"])
        #expect(try await bed.run("domains.list").arrayValue?.isEmpty == true)
    }

    @Test func devicesCRUDFiltersAndWriteOnlySecrets() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        let guid = "143e4567-e89b-12d3-a456-426614174000"
        let created = try await bed.run("devices.create", [
            "guid": .string(guid.uppercased()), "friendlyName": "friendlyName", "hostname": "hostname", "tags": ["acm", "lobby"],
            "mpsusername": "admin", "dnsSuffix": "test.com", "mpsPassword": "Mps-Secret1", "amtPassword": "Amt-Secret1!",
            "deviceInfo": ["fwVersion": "16.1.25", "fwBuild": "2128", "fwSku": "16392", "currentMode": "0", "features": "AMT Pro Corporate ", "ipAddress": ""],
        ])
        #expect(created["guid"] == .string(guid))
        #expect(created["connectionStatus"] == false && created["mpsInstance"] == .null)
        #expect(created["deviceInfo"]?["fwVersion"] == "16.1.25")
        #expect(!created.jsonString.contains("Secret1"))
        let secrets = try await bed.host.store!.devices.secrets(guid: guid)
        #expect(secrets.mpsPassword?.reveal() == "Mps-Secret1" && secrets.amtPassword?.reveal() == "Amt-Secret1!")
        try await bed.run("devices.create", ["guid": "243e4567-e89b-12d3-a456-426614174000", "hostname": "other", "tags": ["acm"]])

        #expect(await bed.failure("devices.create", ["guid": "not-a-guid"])?.fields == ["guid: Invalid value"])
        #expect(await bed.failure("devices.create", ["guid": .string(guid)])?.message == "Device ID: \(guid) already exists")
        #expect(await bed.failure("devices.create", ["guid": "343e4567-e89b-12d3-a456-426614174000", "tags": "x"])?.fields == ["tags: tags should be an array of strings"])
        #expect(await bed.failure("devices.create", ["guid": "343e4567-e89b-12d3-a456-426614174000", "deviceInfo": 3])?.fields == ["deviceInfo: deviceInfo should be an object if provided"])
        #expect(await bed.failure("devices.create", ["guid": "343e4567-e89b-12d3-a456-426614174000", "hostname": .string(String(repeating: "h", count: 256))])?.fields == ["hostname: Hostname must be less than 256 characters"])

        #expect(try await bed.run("devices.list", ["tags": "acm,lobby", "method": "AND"]).arrayValue?.count == 1)
        #expect(try await bed.run("devices.list", ["tags": "acm,lobby", "method": "OR"]).arrayValue?.count == 2)
        #expect(try await bed.run("devices.list", ["hostname": "other", "$count": true])["totalCount"]?.intValue == 1)
        #expect(try await bed.run("devices.list", ["status": "1"]).arrayValue?.isEmpty == true)
        #expect(try await bed.run("devices.list", ["status": 0]).arrayValue?.count == 2)
        #expect(await bed.failure("devices.list", ["method": "XOR"])?.code == .badRequest)
        #expect(try await bed.run("devices.list").arrayValue?.first?["lastSeen"] == nil, "lists omit the timestamps, like MPS")
        #expect(try await bed.run("devices.tags") == ["acm", "lobby"])
        let stats = try await bed.run("devices.stats")
        #expect(stats == ["totalCount": 2, "connectedCount": 0, "disconnectedCount": 2])

        let updated = try await bed.run("devices.update", ["guid": .string(guid), "dnsSuffix": "os.suffix.com", "tags": ["acm"], "amtPassword": "Amt-Secret2!"])
        #expect(updated["dnsSuffix"] == "os.suffix.com" && updated["tags"] == ["acm"])
        #expect(try await bed.host.store!.devices.secrets(guid: guid).amtPassword?.reveal() == "Amt-Secret2!")
        let stale = await bed.failure("devices.update", ["guid": .string(guid), "hostname": "x", "version": 1])
        #expect(stale?.code == .conflict && stale?.message.contains("version 2") == true)
        try await bed.run("devices.delete", ["guid": .string(guid)])
        #expect(await bed.failure("devices.get", ["guid": .string(guid)])?.message == "Device ID \(guid) not found")
        let audit = try await bed.host.store!.audit.list(page: .init(top: 100)).items
        #expect(audit.contains { $0.action == "device.update" && $0.detail == "set amtPassword" })
    }
}
