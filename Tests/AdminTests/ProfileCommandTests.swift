import Foundation
import PluginHost
import Store
import Testing
import TetherJSON

/// `profiles.*`: host rules plus the bundled ACM/CCM policy plugins (real .so files).
@Suite struct ProfileCommandTests {
    static let weakAMT = "amtPassword: AMT password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32."
    static let weakMEBx = "mebxPassword: MEBx password is required field should contains at least one lowercase letter, one uppercase letter, one numeric digit,and one special character and password length should be in between 8 to 32."

    @Test func hostRulesAndBundledPolicies() async throws {
        let bed = try await AdminTestHost.start()
        defer { Task { await bed.stop() } }
        let policies = bed.host.plugins.plugins(contributing: "tether.profile-policy/1").map(\.plugin.id)
        #expect(policies.contains("io.tether.profile-acm") && policies.contains("io.tether.profile-ccm"))
        try await bed.run("ciraconfigs.create", ciraBody("ciraconfig3"))

        func body(_ changes: [String: JSONValue]) -> JSONValue {
            var base: [String: JSONValue] = ["profileName": "profile6", "activation": "ccmactivate", "dhcpEnabled": false, "tags": ["tag1"]]
            for (key, value) in changes { base[key] = value == .null ? nil : value }
            return .object(base)
        }
        let cases: [(JSONValue, String)] = [
            (body(["profileName": "bad name", "generateRandomPassword": true]), "profileName: AMT profile name accepts letters, numbers, special characters and no spaces"),
            (body(["profileName": "", "generateRandomPassword": true]), "profileName: AMT profile name is required"),
            (body(["activation": .null, "amtPassword": "Intel123!"]), "activation: Activation is required"),
            (body(["activation": "activate", "amtPassword": "Intel123!"]), "activation: Activation accepts either acmactivate (admin control activation) or ccmactivate (client control mode activation)"),
            (body(["generateRandomPassword": false]), "activation: Either generateRandomPassword should be enabled or provide amtPassword"),
            (body(["generateRandomPassword": false]), "generateRandomPassword: If generate random AMT password is disabled, amtPassword is mandatory"),
            (body(["amtPassword": "Intel123!", "generateRandomPassword": true]), "generateRandomPassword: Either generate Random AMT Password should be enabled or should provide AMT Password but not both"),
            (body(["amtPassword": "Intel123"]), Self.weakAMT),
            (body(["generateRandomPassword": "yes"]), "generateRandomPassword: Generate random AMT password must be a boolean true or false"),
            (body(["generateRandomPassword": true, "tlsSigningAuthority": "BogusCA", "tlsMode": 2]), "tlsSigningAuthority: TLS Signing Authority must be one of SelfSigned,MicrosoftCA"),
            (body(["generateRandomPassword": true, "ciraConfigName": "ciraconfig3", "tlsMode": 4]), "ciraConfigName: CIRA cannot be configured if TLS is enabled"),
            (body(["generateRandomPassword": true, "tlsMode": 5]), "tlsMode: tlsMode must be set to one of these values: 1 (Server Authentication Only), 2 (Server and Non-TLS Authentication), 3 (Mutual TLS only), 4 (Mutual and Non-TLS authentication)"),
            (body(["generateRandomPassword": true, "dhcpEnabled": .null]), "dhcpEnabled: DHCP enabled must be a boolean"),
            (body(["generateRandomPassword": true, "ipSyncEnabled": "x"]), "ipSyncEnabled: ipSyncEnabled must be a boolean"),
            (body(["generateRandomPassword": true, "localWifiSyncEnabled": "x"]), "localWifiSyncEnabled: localWifiSyncEnabled must be a boolean"),
            (body(["generateRandomPassword": true, "tags": "tag1"]), "tags: Invalid value"),
            (body(["generateRandomPassword": true, "iderEnabled": "foo"]), "iderEnabled: IDER enabled must be a boolean"),
            (body(["generateRandomPassword": true, "kvmEnabled": "foo"]), "kvmEnabled: KVM enabled must be a boolean"),
            (body(["generateRandomPassword": true, "solEnabled": "foo"]), "solEnabled: Serial Over Lan (sol) enabled must be a boolean"),
            (body(["generateRandomPassword": true, "ieee8021xProfileName": "wired1"]), "ieee8021xProfileName: Ieee8021x profile wired1 does not exist in db"),
            // CCM policy (plugin): consent forced to All.
            (body(["generateRandomPassword": true, "userConsent": "BadValue"]), "userConsent: User consent must be one of None,All,KVM"),
            (body(["generateRandomPassword": true, "userConsent": "BadValue"]), "userConsent: User consent is required for all the actions in client control mode"),
            (body(["generateRandomPassword": true, "userConsent": "KVM"]), "userConsent: User consent is required for all the actions in client control mode"),
            // ACM policy (plugin): MEBx rules and consent values.
            (body(["activation": "acmactivate", "amtPassword": "Intel123!"]), "activation: MEBx Password is required for acmactivate"),
            (body(["activation": "acmactivate", "amtPassword": "Intel123!"]), "generateRandomMEBxPassword: If generate random MEBx password is disabled, mebxPassword is mandatory"),
            (body(["activation": "acmactivate", "amtPassword": "Intel123!", "mebxPassword": "Intel123"]), Self.weakMEBx),
            (body(["activation": "acmactivate", "amtPassword": "Intel123!", "mebxPassword": "Intel123!", "generateRandomMEBxPassword": true]), "generateRandomMEBxPassword: Either generate MEBx password should be enabled or should provide MEBx password, but not both"),
            (body(["activation": "acmactivate", "generateRandomPassword": true, "generateRandomMEBxPassword": true, "userConsent": "Sometimes"]), "userConsent: User consent must be one of None,All,KVM"),
        ]
        for (request, expected) in cases {
            let error = await bed.failure("profiles.create", request)
            #expect(error?.code == .badRequest)
            #expect(error?.fields.contains(expected) == true, "\(request.jsonString) → \(error?.fields ?? [])")
        }

        // Host and policy errors come in RPS's field order (the peer's tests read errors[0]):
        // the CCM consent errors before the host's redirection-flag errors.
        let mixed = await bed.failure("profiles.create", body([
            "generateRandomPassword": true, "generateRandomMEBxPassword": true, "userConsent": "BadValue",
            "iderEnabled": "foo", "kvmEnabled": "foo", "solEnabled": "foo",
        ]))
        #expect(mixed?.fields == [
            "userConsent: User consent must be one of None,All,KVM",
            "userConsent: User consent is required for all the actions in client control mode",
            "iderEnabled: IDER enabled must be a boolean",
            "kvmEnabled: KVM enabled must be a boolean",
            "solEnabled: Serial Over Lan (sol) enabled must be a boolean",
        ])

        // Update of an unknown profile: body errors first (400), else 404, as RPS.
        let unknownBad = await bed.failure("profiles.update", [
            "profileName": "profiletlsinvalid", "activation": "ccmactivate", "amtPassword": "Intel123!",
            "generateRandomPassword": false, "generateRandomMEBxPassword": false, "tlsMode": "invalid",
        ])
        #expect(unknownBad?.code == .badRequest)
        #expect(unknownBad?.fields.first == "tlsMode: tlsMode must be set to one of these values: 1 (Server Authentication Only), 2 (Server and Non-TLS Authentication), 3 (Mutual TLS only), 4 (Mutual and Non-TLS authentication)")
        let unknownGood = await bed.failure("profiles.update", [
            "profileName": "profiletlsinvalid", "activation": "ccmactivate", "generateRandomPassword": true, "version": "1",
        ])
        #expect(unknownGood?.code == .notFound)
        #expect(unknownGood?.message == "AMT profile profiletlsinvalid Not Found")

        // Unknown CIRA config (the store's reference check).
        let unknownCIRA = await bed.failure("profiles.create", body(["generateRandomPassword": true, "ciraConfigName": "nociraconfig"]))
        #expect(unknownCIRA?.message == "Referenced constraint nociraconfig doesn't exist")
        #expect(unknownCIRA?.code == .badRequest && unknownCIRA?.detail?["reason"] == "invalid_reference")

        // CCM defaults (Postman "profile6"): consent All, KVM on, SOL/IDER off, no MEBx, nothing secret echoed.
        let ccm = try await bed.run("profiles.create", body(["generateRandomPassword": true, "generateRandomMEBxPassword": true, "localWifiSyncEnabled": true]))
        #expect(ccm["userConsent"] == "All")
        #expect(ccm["kvmEnabled"] == true && ccm["solEnabled"] == false && ccm["iderEnabled"] == false)
        #expect(ccm["generateRandomMEBxPassword"] == false)
        #expect(ccm["amtPassword"] == nil && ccm["mebxPassword"] == nil)
        let duplicate = await bed.failure("profiles.create", body(["generateRandomPassword": true]))
        #expect(duplicate?.message == "AMT profile profile6 already exists")

        // ACM: consent default KVM; None accepted; static passwords sealed, never echoed.
        let acm = try await bed.run("profiles.create", [
            "profileName": "acm", "activation": "acmactivate", "tags": ["acm"], "tlsMode": 2, "dhcpEnabled": false,
            "ipSyncEnabled": true, "generateRandomPassword": false, "amtPassword": "ABCabc123!@#",
            "generateRandomMEBxPassword": false, "mebxPassword": "XYZxyz789!@#", "userConsent": "None",
            "iderEnabled": true, "kvmEnabled": true, "solEnabled": true,
        ])
        #expect(acm["userConsent"] == "None")
        #expect(acm["tlsSigningAuthority"] == "SelfSigned")
        #expect(!acm.jsonString.contains("ABCabc123!@#") && !acm.jsonString.contains("XYZxyz789!@#"))
        let secrets = try await bed.host.store!.profiles.secrets(profileName: "acm")
        #expect(secrets.amtPassword?.reveal() == "ABCabc123!@#")
        #expect(secrets.mebxPassword?.reveal() == "XYZxyz789!@#")
        let acmDefault = try await bed.run("profiles.create", [
            "profileName": "acm-default", "activation": "acmactivate", "generateRandomPassword": true,
            "generateRandomMEBxPassword": true, "dhcpEnabled": true, "ciraConfigName": "ciraconfig3",
        ])
        #expect(acmDefault["userConsent"] == "KVM")
        let generated = try await bed.host.activationPasswords(profileName: "acm-default")
        #expect(PasswordRules.isStrongAMTPassword(generated.amt.reveal()) && generated.mebx.map { PasswordRules.isStrongAMTPassword($0.reveal()) } == true)

        // Update: version required, stale version conflict, switch ACM → CCM clears the MEBx password.
        let noVersion = await bed.failure("profiles.update", ["profileName": "acm", "tags": ["x"]])
        #expect(noVersion?.fields.contains("version: Version is required to patch/update a record.") == true)
        let stale = await bed.failure("profiles.update", ["profileName": "acm", "tags": ["x"], "version": "123"])
        #expect(stale?.code == .conflict)
        #expect(stale?.message.contains("version 1") == true)
        #expect(stale?.detail?["current"]?["profileName"] == "acm")
        let switched = try await bed.run("profiles.update", [
            "profileName": "ACM", "activation": "ccmactivate", "userConsent": "All", "version": "1",
        ])
        #expect(switched["activation"] == "ccmactivate" && switched["version"] == "2")
        #expect(try await bed.host.store!.profiles.secrets(profileName: "acm").mebxPassword == nil)
        #expect(try await bed.host.store!.profiles.secrets(profileName: "acm").amtPassword?.reveal() == "ABCabc123!@#")

        // A MEBx password sent for CCM is ignored, not stored (RPS's PATCH; Postman "profile6 … Copy").
        let ccmWithMEBx = try await bed.run("profiles.update", [
            "profileName": "acm", "activation": "ccmactivate", "mebxPassword": "P@ssw0rd", "amtPassword": "P@ssw0rd",
            "generateRandomPassword": false, "generateRandomMEBxPassword": false, "version": "2",
        ])
        #expect(ccmWithMEBx["activation"] == "ccmactivate" && ccmWithMEBx["generateRandomMEBxPassword"] == false)
        #expect(try await bed.host.store!.profiles.secrets(profileName: "acm").mebxPassword == nil)
        #expect(try await bed.host.store!.profiles.secrets(profileName: "acm").amtPassword?.reveal() == "P@ssw0rd")
        let ccmCreated = try await bed.run("profiles.create", body([
            "profileName": "ccm-mebx", "amtPassword": "Intel123!", "mebxPassword": "P@ssw0rd1",
        ]))
        #expect(ccmCreated["mebxPassword"] == nil)
        #expect(try await bed.host.store!.profiles.secrets(profileName: "ccm-mebx").mebxPassword == nil)
        try await bed.run("profiles.delete", ["profileName": "ccm-mebx"])

        // Get / list / delete.
        #expect(try await bed.run("profiles.get", ["profileName": "PROFILE6"])["profileName"] == "profile6")
        #expect(await bed.failure("profiles.get", ["profileName": "profile1"])?.message == "AMT profile profile1 Not Found")
        #expect(try await bed.run("profiles.list", ["$count": true])["totalCount"]?.intValue == 3)
        try await bed.run("profiles.delete", ["profileName": "profile6"])
        #expect(await bed.failure("profiles.delete", ["profileName": "profile6"])?.code == .notFound)
    }

    @Test func missingPolicyPluginIsAClearError() async throws {
        let bed = try await AdminTestHost.start(disabled: ["io.tether.profile-acm", "io.tether.profile-ccm"])
        defer { Task { await bed.stop() } }
        let error = await bed.failure("profiles.create", [
            "profileName": "p", "activation": "acmactivate", "generateRandomPassword": true,
            "generateRandomMEBxPassword": true, "dhcpEnabled": true,
        ])
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("no profile policy plugin is loaded for activation mode 'acmactivate'") == true)
        #expect(error?.message.contains("io.tether.profile-acm") == true)
        #expect(try await bed.run("profiles.list").arrayValue?.isEmpty == true)
    }

    @Test func signagePolicyReplacesTheBundledACMPolicy() async throws {
        let example = repositoryRoot.appendingPathComponent("examples/signage-policy").path
        let directory = try temporaryDirectory()
        try await runTool(
            "/usr/bin/cc",
            ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
             "-I", repositoryRoot.appendingPathComponent("Sources/CTetherABI/include").path,
             example + "/signage_policy.c", "-o", directory + "/libsignage_policy.so"])
        let bed = try await AdminTestHost.start(disabled: ["io.tether.profile-acm"], pluginDirectories: [directory])
        defer { Task { await bed.stop() } }
        let policies = bed.host.plugins.plugins(contributing: "tether.profile-policy/1").map(\.plugin.id)
        #expect(policies.contains("io.tether.example.signage-policy") && !policies.contains("io.tether.profile-acm"))
        let base: [String: JSONValue] = [
            "profileName": "signage", "activation": "acmactivate", "generateRandomPassword": true,
            "generateRandomMEBxPassword": true, "dhcpEnabled": true,
        ]
        var withKVM = base
        withKVM["kvmEnabled"] = true
        let rejected = await bed.failure("profiles.create", .object(withKVM))
        #expect(rejected?.code == .badRequest)
        #expect(rejected?.fields == ["kvmEnabled: KVM must be disabled on signage devices (set kvmEnabled to false)"])
        // Unset KVM is rejected too (the bundled default would turn it on).
        #expect(await bed.failure("profiles.create", .object(base))?.code == .badRequest)
        var noKVM = base
        noKVM["kvmEnabled"] = false
        let accepted = try await bed.run("profiles.create", .object(noKVM))
        #expect(accepted["kvmEnabled"] == false)
        // CCM still goes to the bundled CCM policy.
        let ccm = try await bed.run("profiles.create", ["profileName": "kiosk", "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true])
        #expect(ccm["userConsent"] == "All")
    }
}
