import Foundation
import PluginHost
import Testing
import TetherJSON

/// `ciraconfigs.*` through the command bus: RPS's rules, messages and status hints.
@Suite struct CIRAConfigCommandTests {
    @Test func validationRulesDuplicatesVersionsAndDeletes() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }

        // Every create rule of shared/reference/rps.md §1.3 / §8.2 at least once.
        let cases: [(JSONValue, String)] = [
            (ciraBody("", ["configName": ""]), "configName: CIRA profile name is required"),
            (ciraBody("bad name"), "configName: CIRA profile name accepts letters, numbers, special characters and no spaces"),
            (ciraBody("c1", ["mpsPort": .null]), "mpsPort: MPS port is required"),
            (ciraBody("c1", ["mpsPort": 1000]), "mpsPort: MPS Port value should range between 1024 and 49151"),
            (ciraBody("c1", ["mpsPort": 50000]), "mpsPort: MPS Port value should range between 1024 and 49151"),
            (ciraBody("c1", ["mpsPort": "wrong"]), "mpsPort: MPS Port value should range between 1024 and 49151"),
            (ciraBody("c1", ["mpsServerAddress": .null]), "mpsServerAddress: MPS server address is required"),
            (ciraBody("c1", ["username": "admin user"]), "username: MPS user name should be alphanumeric"),
            (ciraBody("c1", ["username": "admin@user"]), "username: MPS user name should be alphanumeric"),
            (ciraBody("c1", ["username": "adm"]), "username: MPS user name length should be in between 5 to 16"),
            (ciraBody("c1", ["username": .null]), "username: MPS user name is required"),
            (ciraBody("c1", ["serverAddressFormat": .null]), "serverAddressFormat: MPS server address format is required"),
            (ciraBody("c1", ["serverAddressFormat": 4]), "mpsServerAddress: serverAddressFormat 4 requires IPV6 server address"),
            (ciraBody("c1", ["serverAddressFormat": 401]), "serverAddressFormat: MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)"),
            (ciraBody("c1", ["serverAddressFormat": "FQDN"]), "serverAddressFormat: MPS server address format should be either 3(IPV4) , 4(IPV6) or 201(FQDN)"),
            (ciraBody("c1", ["mpsServerAddress": "300.1.1.1"]), "mpsServerAddress: serverAddressFormat 3 requires IPV4 server address"),
            (ciraBody("c1", ["commonName": .null]), "mpsServerAddress: commonName is required when serverAddressFormat is 3"),
            (ciraBody("c1", ["serverAddressFormat": 201, "mpsServerAddress": "local host"]), "mpsServerAddress: serverAddressFormat 201 requires FQDN server address"),
            (ciraBody("c1", ["commonName": "mps.example.com"]), "commonName: Cert. Hostname(CN) should be an IP address."),
            (ciraBody("c1", ["authMethod": .null]), "authMethod: Authentication method is required"),
            (ciraBody("c1", ["authMethod": 5]), "authMethod: Authentication method should be either 1 (Mutual Auth) or 2 (username and password)"),
            (ciraBody("c1", ["authMethod": "mutual"]), "authMethod: Authentication method should be either 1 (Mutual Auth) or 2 (username and password)"),
            (ciraBody("c1", ["mpsRootCertificate": "-----BEGIN CERTIFICATE----- not DER"]), "mpsRootCertificate: MPS public root certificate must be base64 (DER, without PEM armour)"),
            (ciraBody("c1", ["password": "12345678901234567"]), "password: MPS password length should be in between 1 to 16"),
            (ciraBody("c1", ["allowSelfRegistration": true]), "allowSelfRegistration: Self-registration needs a static MPS password (password)"),
        ]
        for (body, expected) in cases {
            let error = await bed.failure("ciraconfigs.create", body)
            #expect(error?.code == .badRequest)
            #expect(error?.fields.contains(expected) == true, "\(body.jsonString) → \(error?.fields ?? [])")
            #expect(error?.message.contains(expected) == true, "the message lists every field error")
        }

        // Valid create: the root certificate is this host's, the password is never echoed.
        let created = try await bed.run("ciraconfigs.create", ciraBody("ciraconfig2", ["password": "TestPassw0rd!"]))
        #expect(created["configName"] == "ciraconfig2")
        #expect(created["mpsRootCertificate"]?.stringValue == (try bed.host.certificateAuthority?.rootCertificateDERBase64))
        #expect(created["password"] == nil)
        #expect(created["version"] == "1")
        #expect(!created.jsonString.contains("TestPassw0rd!"))

        // Duplicate in another case: the peer's 400 "Unique key violation".
        let duplicate = await bed.failure("ciraconfigs.create", ciraBody("ciraConfig2"))
        #expect(duplicate?.code == .conflict)
        #expect(duplicate?.message == "CIRA Config ciraConfig2 already exists.")
        #expect(duplicate?.detail?["reason"] == "duplicate")

        // Case-insensitive get; not found.
        #expect(try await bed.run("ciraconfigs.get", ["configName": "CIRACONFIG2"])["configName"] == "ciraconfig2")
        let missing = await bed.failure("ciraconfigs.get", ["configName": "dontexist"])
        #expect(missing?.code == .notFound)
        #expect(missing?.message == "CIRA profile dontexist Not Found")
        #expect(missing?.detail?["entity"] == "ciraConfig")

        // Update rules (shared/reference/rps.md §1.4), stale version, success.
        let updateCases: [(JSONValue, String)] = [
            (["configName": "ciraconfig2", "mpsServerAddress": "192.168.8.55"], "mpsServerAddress: serverAddressFormat is required"),
            (["configName": "ciraconfig2", "mpsServerAddress": "192.168.8.55", "serverAddressFormat": 3], "mpsServerAddress: commonName is required when serverAddressFormat is 3"),
            (["configName": "ciraconfig2", "commonName": "192.168.8.55"], "commonName: serverAddressFormat and mpsServerAddress is required"),
            (["configName": "ciraconfig2", "mpsPort": 433], "mpsPort: MPS Port value should range between 1024 and 49151"),
            (["configName": "ciraconfig2", "username": "admin user"], "username: MPS user name should be alphanumeric"),
        ]
        for (body, expected) in updateCases {
            let error = await bed.failure("ciraconfigs.update", body)
            #expect(error?.fields.contains(expected) == true, "\(body.jsonString) → \(error?.fields ?? [])")
        }
        let stale = await bed.failure("ciraconfigs.update", ["configName": "ciraconfig2", "mpsPort": 4434, "version": "123"])
        #expect(stale?.code == .conflict)
        #expect(stale?.message.contains("version 1") == true)
        #expect(stale?.detail?["reason"] == "stale_version")
        #expect(stale?.detail?["current"]?["mpsPort"]?.intValue == 4433)
        let noVersion = await bed.failure("ciraconfigs.update", ["configName": "ciraconfig2", "mpsPort": 4434])
        #expect(noVersion?.code == .conflict)
        let updated = try await bed.run("ciraconfigs.update", ["configName": "ciraConfig2", "mpsPort": 4434, "version": "1"])
        #expect(updated["mpsPort"]?.intValue == 4434)
        #expect(updated["configName"] == "ciraconfig2")
        #expect(updated["version"] == "2")
        let unknown = await bed.failure("ciraconfigs.update", ["configName": "nothere", "mpsPort": 4434, "version": 1])
        #expect(unknown?.code == .notFound)

        // Lists: bare array, or data+totalCount with $count; paging validation.
        try await bed.run("ciraconfigs.create", ciraBody("ciraconfig3"))
        let list = try await bed.run("ciraconfigs.list", ["$top": "1", "$skip": "0"])
        #expect(list.arrayValue?.count == 1)
        let counted = try await bed.run("ciraconfigs.list", ["$count": "true"])
        #expect(counted["totalCount"]?.intValue == 2)
        #expect(counted["data"]?.arrayValue?.count == 2)
        let badQuery = await bed.failure("ciraconfigs.list", ["$top": "string", "$skip": "zero", "$count": "boolean"])
        #expect(badQuery?.fieldMessages == [AdminPagingMessages.top, AdminPagingMessages.skip, AdminPagingMessages.count])

        // Delete in use is refused with the peer's error; then delete works; audit trail exists.
        try await bed.run("profiles.create", [
            "profileName": "p1", "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true,
            "ciraConfigName": "ciraconfig3",
        ])
        let inUse = await bed.failure("ciraconfigs.delete", ["configName": "ciraconfig3"])
        #expect(inUse?.message == "CIRA Config: ciraconfig3 is associated with an AMT profile")
        #expect(inUse?.code == .conflict && inUse?.detail?["reason"] == "in_use")
        try await bed.run("ciraconfigs.delete", ["configName": "CiraConfig2"])
        #expect(await bed.failure("ciraconfigs.delete", ["configName": "ciraconfig2"])?.message == "CIRA profile ciraconfig2 Not Found")
        let audit = try await bed.host.store!.audit.list(page: .init(top: 100))
        let actions = Set(audit.items.map(\.action))
        #expect(actions.isSuperset(of: ["ciraconfig.create", "ciraconfig.update", "ciraconfig.delete", "profile.create"]))
        #expect(!audit.items.contains { ($0.detail ?? "").contains("TestPassw0rd!") })
    }

    @Test func sqlInjectionStringsAreDataNotSQL() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        try await bed.run("ciraconfigs.create", ciraBody("safe1"))
        let injections = ["x' OR '1'='1", "'; DROP TABLE cira_configs; --", "a\"; DELETE FROM profiles; --"]
        for text in injections {
            let created = await bed.failure("ciraconfigs.create", ciraBody(text))
            #expect(created?.code == .badRequest)
            let get = await bed.failure("ciraconfigs.get", ["configName": .string(text)])
            #expect(get?.code == .notFound)
            let delete = await bed.failure("profiles.delete", ["profileName": .string(text)])
            #expect(delete?.code == .notFound)
            let devices = try await bed.run("devices.list", ["hostname": .string(text), "tags": .string(text), "$count": true])
            #expect(devices["totalCount"]?.intValue == 0)
        }
        #expect(try await bed.run("ciraconfigs.list").arrayValue?.count == 1)
    }
}

/// The paging messages of Open AMT (shared/reference/rps.md §1.5).
enum AdminPagingMessages {
    static let top = "The number of items to return should be a positive integer"
    static let skip = "The number of items to skip before starting to collect the result set should be a positive integer"
    static let count = "To return total number of records in result set should be boolean"
}
