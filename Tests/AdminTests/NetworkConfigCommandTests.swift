import Foundation
import PluginHost
import Store
import Testing
import TetherJSON

/// `wirelessconfigs.*`, `ieee8021xconfigs.*` and the profile links to them, through the command bus.
@Suite struct NetworkConfigCommandTests {
    static func wireless(_ name: String, _ changes: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = [
            "profileName": .string(name), "authenticationMethod": 4, "encryptionMethod": 4, "ssid": "test",
            "pskPassphrase": "Intel@123", "linkPolicy": [14, 16],
        ]
        for (key, value) in changes { body[key] = value == .null ? nil : value }
        return .object(body)
    }

    static func ieee(_ name: String, wired: Bool, _ changes: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = [
            "profileName": .string(name), "authenticationProtocol": 0, "pxeTimeout": 120, "wiredInterface": .bool(wired),
        ]
        for (key, value) in changes { body[key] = value == .null ? nil : value }
        return .object(body)
    }

    static func profile(_ name: String, _ changes: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = [
            "profileName": .string(name), "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true,
        ]
        for (key, value) in changes { body[key] = value == .null ? nil : value }
        return .object(body)
    }

    @Test func wirelessRulesSealedPassphraseVersionsAndDeleteInUse() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        let cases: [(JSONValue, String)] = [
            (Self.wireless(""), "profileName: Wireless profile name is required"),
            (Self.wireless("P_1"), "profileName: Wireless profile name should be alphanumeric"),
            (Self.wireless(String(repeating: "a", count: 33)), "profileName: Wireless profile name maximum length is 32"),
            (Self.wireless("P1", ["authenticationMethod": 10]), "authenticationMethod: Authentication method must be one of 4:WPA PSK, 5:WPA IEEE 802.1x, 6:WPA2 PSK, 7:WPA2 IEEE 802.1x"),
            (Self.wireless("P1", ["authenticationMethod": .null]), "authenticationMethod: Authentication method is required"),
            (Self.wireless("P1", ["encryptionMethod": 6]), "encryptionMethod: Encryption method must be one of 3:TKIP, 4:CCMP"),
            (Self.wireless("P1", ["ssid": "wirelessProfile1234512345123456789"]), "ssid: Maximum length is 32"),
            (Self.wireless("P1", ["ssid": .null]), "ssid: SSID is required"),
            (Self.wireless("P1", ["pskPassphrase": "Inte123"]), "pskPassphrase: PSK Passphrase length should be greater than or equal to 8 and less than or equal to 63"),
            (Self.wireless("P1", ["pskPassphrase": .string(String(repeating: "x", count: 64))]), "pskPassphrase: PSK Passphrase length should be greater than or equal to 8 and less than or equal to 63"),
            (Self.wireless("P1", ["pskPassphrase": .null]), "pskPassphrase: PSK Passphrase length should be greater than or equal to 8 and less than or equal to 63"),
            (Self.wireless("P1", ["linkPolicy": "14"]), "linkPolicy: LinkPolicy should be an array of integers"),
            (Self.wireless("P1", ["linkPolicy": [14, "x"]]), "linkPolicy: Array does not contain integers"),
            (Self.wireless("P1", ["linkPolicy": [2]]), "linkPolicy: Array values should be either 1: available on S0 AC, 14: available on Sx AC, 16: available on S0 DC, 224: available on Sx DC"),
            (Self.wireless("P1", ["authenticationMethod": 5]), "ieee8021xProfileName: ieee8021xProfileName is required"),
            (Self.wireless("P1", ["ieee8021xProfileName": "errant"]), "ieee8021xProfileName: ieee8021xProfileName can not be specified with the provided authenticationMethod"),
            (Self.wireless("P1", ["authenticationMethod": 7, "ieee8021xProfileName": "notInDb"]), "ieee8021xProfileName: Ieee8021x profile notInDb does not exist in db"),
        ]
        for (body, expected) in cases {
            let error = await bed.failure("wirelessconfigs.create", body)
            #expect(error?.code == .badRequest)
            #expect(error?.fields.contains(expected) == true, "\(body.jsonString) → \(error?.fields ?? [])")
            #expect(error.map { !$0.message.contains("Inte123") } ?? true, "a passphrase is never echoed")
        }

        let created = try await bed.run("wirelessconfigs.create", Self.wireless("P1", ["pskPassphrase": "Secret-Phrase-42"]))
        #expect(created["profileName"] == "P1")
        #expect(created["linkPolicy"] == [14, 16])
        #expect(created["pskPassphrase"] == nil)
        #expect(created["version"] == "1")
        let store = try #require(bed.host.store)
        #expect(try await store.wirelessConfigs.pskPassphrase(profileName: "p1")?.reveal() == "Secret-Phrase-42")
        let database = try Data(contentsOf: URL(fileURLWithPath: bed.dataDirectory).appendingPathComponent("tether.sqlite"))
        #expect(database.range(of: Data("Secret-Phrase-42".utf8)) == nil, "the passphrase is sealed at rest")
        #expect(!bed.log.text.contains("Secret-Phrase-42"))

        let duplicate = await bed.failure("wirelessconfigs.create", Self.wireless("p1"))
        #expect(duplicate?.message == "Wireless profile p1 already exists")
        #expect(duplicate?.code == .conflict && duplicate?.detail?["reason"] == "duplicate")
        let missing = await bed.failure("wirelessconfigs.get", ["profileName": "sampleProfile"])
        #expect(missing?.message == "Wireless profile sampleProfile Not Found")

        // Update: version required, stale version → the stored record; the passphrase is kept when omitted.
        let noVersion = await bed.failure("wirelessconfigs.update", Self.wireless("P1", ["ssid": "test1"]))
        #expect(noVersion?.fields == ["version: Version is required to patch/update a record."])
        let stale = await bed.failure("wirelessconfigs.update", Self.wireless("P1", ["version": "7"]))
        #expect(stale?.code == .conflict)
        #expect(stale?.detail?["current"]?["ssid"] == "test")
        let updated = try await bed.run("wirelessconfigs.update", Self.wireless("P1", ["ssid": "test1", "pskPassphrase": .null, "version": "1"]))
        #expect(updated["ssid"] == "test1")
        #expect(updated["version"] == "2")
        #expect(try await store.wirelessConfigs.pskPassphrase(profileName: "P1")?.reveal() == "Secret-Phrase-42")
        let unknown = await bed.failure("wirelessconfigs.update", Self.wireless("P12", ["version": "1"]))
        #expect(unknown?.message == "Wireless profile P12 Not Found")

        // A profile linking P1 keeps it from being deleted.
        try await bed.run("profiles.create", Self.profile("wifi1", ["wifiConfigs": [["profileName": "p1", "priority": 1]]]))
        let inUse = await bed.failure("wirelessconfigs.delete", ["profileName": "P1"])
        #expect(inUse?.message == "Wireless profile: P1 is associated with an AMT Profile.")
        #expect(inUse?.code == .conflict && inUse?.detail?["reason"] == "in_use")
        #expect(try await bed.run("wirelessconfigs.get", ["profileName": "P1"])["ssid"] == "test1", "the refused delete lost nothing")
        try await bed.run("profiles.delete", ["profileName": "wifi1"])
        try await bed.run("wirelessconfigs.delete", ["profileName": "P1"])
        let list = try await bed.run("wirelessconfigs.list", ["$count": true])
        #expect(list["totalCount"] == 0)
    }

    @Test func ieee8021xRulesAndInterfaceLinks() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        let cases: [(JSONValue, String)] = [
            (Self.ieee("", wired: true), "profileName: 802.1x profile name is required"),
            (Self.ieee("test_#", wired: true), "profileName: 802.1x profile name should be alphanumeric"),
            (Self.ieee("test012345678901234567890123456789", wired: true), "profileName: 802.1x profile name maximum length is 32"),
            (Self.ieee("w1", wired: true, ["authenticationProtocol": 1]), "authenticationProtocol: Authentication protocol must be one of 0:EAP-TLS, 3:PEAPv1/EAP-GTC, 5:EAP-FAST/GTC, 10:EAP-FAST/TLS, 2:PEAPv0/EAP-MSCHAPv2"),
            (Self.ieee("w1", wired: false, ["authenticationProtocol": 3]), "authenticationProtocol: Authentication protocol must be one of 0:EAP-TLS, 2:PEAPv0/EAP-MSCHAPv2"),
            (Self.ieee("w1", wired: true, ["pxeTimeout": 86401]), "pxeTimeout: PXE Timeout value should be 0 - 86400"),
            (Self.ieee("w1", wired: true, ["pxeTimeout": "120"]), "pxeTimeout: PXE Timeout must be number"),
            (Self.ieee("w1", wired: true, ["pxeTimeout": .null]), "pxeTimeout: PXE Timeout is required"),
            (Self.ieee("w1", wired: true, ["wiredInterface": .null]), "wiredInterface: Wired interface flag is required"),
        ]
        for (body, expected) in cases {
            let error = await bed.failure("ieee8021xconfigs.create", body)
            #expect(error?.fields.contains(expected) == true, "\(body.jsonString) → \(error?.fields ?? [])")
        }
        let wired = try await bed.run("ieee8021xconfigs.create", Self.ieee("wired1", wired: true, ["password": "Eap-Secret-9"]))
        #expect(wired["wiredInterface"] == true)
        #expect(wired["password"] == nil)
        try await bed.run("ieee8021xconfigs.create", Self.ieee("air1", wired: false, ["pxeTimeout": .null]))
        let duplicate = await bed.failure("ieee8021xconfigs.create", Self.ieee("WIRED1", wired: true))
        #expect(duplicate?.message == "802.1x config: WIRED1 already exists")

        // Profiles link wired configs only; Wi-Fi profiles wireless ones only.
        let wrongForProfile = await bed.failure("profiles.create", Self.profile("p8021x", ["ieee8021xProfileName": "air1"]))
        #expect(wrongForProfile?.fields == ["ieee8021xProfileName: Ieee8021x profile air1 is for wireless interfaces"])
        let unknownForProfile = await bed.failure("profiles.create", Self.profile("p8021x", ["ieee8021xProfileName": "notInDb"]))
        #expect(unknownForProfile?.fields == ["ieee8021xProfileName: Ieee8021x profile notInDb does not exist in db"])
        let wrongForWifi = await bed.failure(
            "wirelessconfigs.create", Self.wireless("eap1", ["authenticationMethod": 5, "ieee8021xProfileName": "wired1"]))
        #expect(wrongForWifi?.fields == ["ieee8021xProfileName: Ieee8021x profile wired1 is for wired interfaces"])

        let profile = try await bed.run("profiles.create", Self.profile("p8021x", ["ieee8021xProfileName": "WIRED1"]))
        #expect(profile["ieee8021xProfileName"] == "wired1", "stored spelling")
        let eap = try await bed.run("wirelessconfigs.create", Self.wireless("eap1", ["authenticationMethod": 7, "ieee8021xProfileName": "air1"]))
        #expect(eap["ieee8021xProfileName"] == "air1")
        #expect(try await bed.host.store?.wirelessConfigs.pskPassphrase(profileName: "eap1") == nil, "no passphrase for 802.1x methods")

        // In use by the profile / the Wi-Fi profile: refused, nothing lost.
        let wiredInUse = await bed.failure("ieee8021xconfigs.delete", ["profileName": "wired1"])
        #expect(wiredInUse?.detail?["reason"] == "in_use")
        #expect(wiredInUse?.message.contains("AMT profile p8021x") == true)
        let airInUse = await bed.failure("ieee8021xconfigs.delete", ["profileName": "air1"])
        #expect(airInUse?.message.contains("Wi-Fi profile eap1") == true)
        let flip = await bed.failure("ieee8021xconfigs.update", Self.ieee("wired1", wired: false, ["version": "1"]))
        #expect(flip?.detail?["reason"] == "in_use", "a linked config cannot change interface")

        let stale = await bed.failure("ieee8021xconfigs.update", Self.ieee("wired1", wired: true, ["authenticationProtocol": 5, "version": 100]))
        #expect(stale?.detail?["current"]?["authenticationProtocol"] == 0)
        let updated = try await bed.run("ieee8021xconfigs.update", Self.ieee("wired1", wired: true, ["authenticationProtocol": 5, "pxeTimeout": 0, "version": "1"]))
        #expect(updated["authenticationProtocol"] == 5)
        #expect(updated["pxeTimeout"] == 0)
        #expect(try await bed.host.store?.ieee8021xConfigs.password(profileName: "wired1")?.reveal() == "Eap-Secret-9", "kept when omitted")

        try await bed.run("profiles.delete", ["profileName": "p8021x"])
        try await bed.run("wirelessconfigs.delete", ["profileName": "eap1"])
        try await bed.run("ieee8021xconfigs.delete", ["profileName": "wired1"])
        try await bed.run("ieee8021xconfigs.delete", ["profileName": "air1"])
    }

    @Test func profileWifiLinksPrioritiesAndDHCP() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        for name in ["home", "office", "business"] { try await bed.run("wirelessconfigs.create", Self.wireless(name)) }
        func links(_ pairs: [(String, Int)]) -> JSONValue {
            .array(pairs.map { ["profileName": .string($0.0), "priority": .number($0.1)] })
        }
        let cases: [(JSONValue, String)] = [
            (Self.profile("w", ["dhcpEnabled": false, "wifiConfigs": links([("home", 1)])]), "wifiConfigs: Wifi supports only DHCP in AMT"),
            (Self.profile("w", ["wifiConfigs": links([("home", 355)])]), "wifiConfigs: wifi config priority should be an integer and between 1 and 255"),
            (Self.profile("w", ["wifiConfigs": links([("home", 0)])]), "wifiConfigs: wifi config priority should be an integer and between 1 and 255"),
            (Self.profile("w", ["wifiConfigs": [["profileName": "home", "priority": 1.5]]]), "wifiConfigs: wifi config priority should be an integer and between 1 and 255"),
            (Self.profile("w", ["wifiConfigs": links([("home", 1), ("office", 1)])]), "wifiConfigs: wifi config priorities must be unique"),
            (Self.profile("w", ["wifiConfigs": links([("home", 1), ("HOME", 2)])]), "wifiConfigs: a wifi config may be listed only once"),
            (Self.profile("w", ["wifiConfigs": links([("home2", 1), ("test", 2)])]), "wifiConfigs: wifi configs home2,test does not exists in db"),
            (Self.profile("w", ["wifiConfigs": links((1...9).map { ("n\($0)", $0) })]), "wifiConfigs: A maximum of 8 wifi profiles can be stored at a time."),
        ]
        for (body, expected) in cases {
            let error = await bed.failure("profiles.create", body)
            #expect(error?.fields.contains(expected) == true, "\(body.jsonString) → \(error?.fields ?? [])")
        }
        #expect(try await bed.run("profiles.list", [:]) == [], "no refused create stored anything")

        let created = try await bed.run("profiles.create", Self.profile("wifi-profile", ["wifiConfigs": links([("office", 2), ("Home", 1)])]))
        #expect(created["wifiConfigs"] == links([("home", 1), ("office", 2)]), "ordered by priority, stored spelling")
        #expect(created["localWifiSyncEnabled"] == .null)

        // Update: omitted → kept; DHCP off → dropped; a list without dhcpEnabled → RPS's message.
        let tags = try await bed.run("profiles.update", ["profileName": "wifi-profile", "tags": ["t"], "localWifiSyncEnabled": true, "version": "1"])
        #expect(tags["wifiConfigs"] == links([("home", 1), ("office", 2)]))
        #expect(tags["localWifiSyncEnabled"] == true)
        let noDHCP = await bed.failure("profiles.update", ["profileName": "wifi-profile", "wifiConfigs": links([("home", 1)]), "version": "2"])
        #expect(noDHCP?.fields == ["wifiConfigs: DHCP enabled should be true"])
        let off = try await bed.run("profiles.update", ["profileName": "wifi-profile", "dhcpEnabled": false, "ipSyncEnabled": false, "version": "2"])
        #expect(off["wifiConfigs"] == [])
        #expect(off["ipSyncEnabled"] == false)
        let three = try await bed.run(
            "profiles.update",
            ["profileName": "wifi-profile", "dhcpEnabled": true, "version": "3", "wifiConfigs": links([("home", 1), ("office", 2), ("business", 3)])])
        #expect(three["wifiConfigs"]?.arrayValue?.count == 3)
        #expect(try await bed.run("profiles.get", ["profileName": "wifi-profile"])["wifiConfigs"] == three["wifiConfigs"])

        // Deleting the profile removes its links, so the Wi-Fi profiles can go.
        try await bed.run("profiles.delete", ["profileName": "wifi-profile"])
        for name in ["home", "office", "business"] { try await bed.run("wirelessconfigs.delete", ["profileName": .string(name)]) }
    }
}
