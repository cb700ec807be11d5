import Foundation
import Testing
@testable import Store

@Suite struct ProfileRepositoryTests {
    @Test func createWithSecretsAndReadBack() async throws {
        try await withStore { store, _ in
            try await store.ciraConfigs.create(sampleCIRAConfig("cira1"))
            let profile = Profile(
                profileName: "profile1", activation: .acm, generateRandomPassword: false,
                generateRandomMEBxPassword: false, ciraConfigName: "cira1", userConsent: .kvm,
                iderEnabled: false, kvmEnabled: true, solEnabled: false, dhcpEnabled: true,
                ipSyncEnabled: true, tags: ["acm", "lab"])
            let created = try await store.profiles.create(profile, amtPassword: Secret("Intel123!"), mebxPassword: Secret("P@ssw0rd"))
            #expect(created.hasAMTPassword && created.hasMEBxPassword)
            #expect(created.tags == ["acm", "lab"])
            #expect(created.userConsent == .kvm)
            #expect(created.version == 1)
            let secrets = try await store.profiles.secrets(profileName: "PROFILE1")
            #expect(secrets.amtPassword?.reveal() == "Intel123!")
            #expect(secrets.mebxPassword?.reveal() == "P@ssw0rd")
            await #expect(throws: StoreError.duplicate(.profile, name: "Profile1")) {
                try await store.profiles.create(Profile(profileName: "Profile1", activation: .ccm))
            }
        }
    }

    @Test func unknownCIRAConfigIsAnInvalidReference() async throws {
        try await withStore { store, _ in
            await #expect(throws: StoreError.invalidReference(.profile, name: "p", reference: "nociraconfig")) {
                try await store.profiles.create(Profile(profileName: "p", activation: .acm, ciraConfigName: "nociraconfig"))
            }
            #expect(StoreError.invalidReference(.profile, name: "p", reference: "nociraconfig").message
                == "Referenced constraint nociraconfig doesn't exist")
            // Another tenant's config does not count.
            try await store.ciraConfigs.create(sampleCIRAConfig("c", tenant: "other"))
            await #expect(throws: StoreError.self) {
                try await store.profiles.create(Profile(profileName: "p", activation: .acm, ciraConfigName: "c"))
            }
        }
    }

    @Test func updateConflictAndSecretChanges() async throws {
        try await withStore { store, _ in
            var profile = try await store.profiles.create(
                Profile(profileName: "p6", activation: .acm, generateRandomPassword: false), amtPassword: Secret("Intel123!"))
            profile.activation = .ccm
            profile.tags = ["tag123"]
            profile.generateRandomPassword = true
            let updated = try await store.profiles.update(profile, amtPassword: .clear, mebxPassword: .set(Secret("Mebx123!x")))
            #expect(updated.version == 2 && updated.activation == .ccm && updated.tags == ["tag123"])
            #expect(!updated.hasAMTPassword && updated.hasMEBxPassword)
            await #expect(throws: StoreError.conflict(.profile, name: "p6", currentVersion: 2)) {
                try await store.profiles.update(profile)
            }
            var next = updated
            next.ciraConfigName = "missing"
            await #expect(throws: StoreError.invalidReference(.profile, name: "p6", reference: "missing")) {
                try await store.profiles.update(next)
            }
            #expect(try await store.profiles.get(profileName: "p6").version == 2)
            let page = try await store.profiles.list()
            #expect(page.totalCount == 1 && page.items.first?.profileName == "p6")
            try await store.profiles.delete(profileName: "P6")
            await #expect(throws: StoreError.notFound(.profile, name: "p6")) { try await store.profiles.get(profileName: "p6") }
            #expect(StoreError.notFound(.profile, name: "profile1").message == "AMT profile profile1 Not Found")
        }
    }
}
