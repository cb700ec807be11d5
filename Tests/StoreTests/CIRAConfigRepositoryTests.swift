import Foundation
import Testing
@testable import Store

@Suite struct CIRAConfigRepositoryTests {
    @Test func createGetCaseInsensitiveAndDuplicate() async throws {
        try await withStore { store, _ in
            let created = try await store.ciraConfigs.create(sampleCIRAConfig("ciraConfig2"))
            #expect(created.version == 1)
            #expect(created.hasStaticPassword == false)
            let fetched = try await store.ciraConfigs.get(configName: "CIRACONFIG2")
            #expect(fetched.configName == "ciraConfig2")
            #expect(fetched == created)
            await #expect(throws: StoreError.duplicate(.ciraConfig, name: "ciraconfig2")) {
                try await store.ciraConfigs.create(sampleCIRAConfig("ciraconfig2"))
            }
            #expect(StoreError.duplicate(.ciraConfig, name: "x").message == "CIRA Config x already exists.")
            // Same name in another tenant is fine; tenants do not see each other.
            try await store.ciraConfigs.create(sampleCIRAConfig("ciraConfig2", tenant: "t2"))
            await #expect(throws: StoreError.notFound(.ciraConfig, name: "ciraConfig2")) {
                try await store.ciraConfigs.get(configName: "ciraConfig2", tenantId: "t3")
            }
        }
    }

    @Test func listPagesInNameOrderWithTotal() async throws {
        try await withStore { store, _ in
            for name in ["delta", "Alpha", "charlie", "bravo", "echo"] {
                try await store.ciraConfigs.create(sampleCIRAConfig(name))
            }
            try await store.ciraConfigs.create(sampleCIRAConfig("other", tenant: "t2"))
            let first = try await store.ciraConfigs.list(page: PageRequest(top: 2, skip: 0))
            #expect(first.items.map(\.configName) == ["Alpha", "bravo"])
            #expect(first.totalCount == 5)
            let last = try await store.ciraConfigs.list(page: PageRequest(top: 2, skip: 4))
            #expect(last.items.map(\.configName) == ["echo"])
            #expect(try await store.ciraConfigs.list(page: PageRequest(top: 0)).items.isEmpty)
            await #expect(throws: StoreError.invalidArgument("The number of items to return should be a positive integer")) {
                try await store.ciraConfigs.list(page: PageRequest(top: -1))
            }
            await #expect(throws: StoreError.self) { try await store.ciraConfigs.list(page: PageRequest(skip: -5)) }
        }
    }

    @Test func updateWithOptimisticConcurrency() async throws {
        try await withStore { store, _ in
            var config = try await store.ciraConfigs.create(sampleCIRAConfig(), password: Secret("Static123!"))
            config.mpsPort = 4434
            let updated = try await store.ciraConfigs.update(config)
            #expect(updated.version == 2)
            #expect(updated.mpsPort == 4434)
            #expect(try await store.ciraConfigs.password(configName: "ciraconfig1")?.reveal() == "Static123!")
            // Stale version → conflict carrying the current version; nothing changes.
            config.mpsPort = 9999
            await #expect(throws: StoreError.conflict(.ciraConfig, name: "ciraconfig1", currentVersion: 2)) {
                try await store.ciraConfigs.update(config)
            }
            #expect(try await store.ciraConfigs.get(configName: "ciraconfig1").mpsPort == 4434)
            var current = try await store.ciraConfigs.get(configName: "ciraconfig1")
            current.username = "newadmin"
            let cleared = try await store.ciraConfigs.update(current, password: .clear)
            #expect(cleared.version == 3)
            #expect(cleared.hasStaticPassword == false)
            #expect(try await store.ciraConfigs.password(configName: "ciraconfig1") == nil)
            var missing = sampleCIRAConfig("nope")
            missing.version = 1
            await #expect(throws: StoreError.notFound(.ciraConfig, name: "nope")) { try await store.ciraConfigs.update(missing) }
        }
    }

    @Test func deleteRefusedWhileProfileReferencesIt() async throws {
        try await withStore { store, _ in
            try await store.ciraConfigs.create(sampleCIRAConfig("cira1"))
            try await store.profiles.create(Profile(profileName: "p1", activation: .ccm, ciraConfigName: "CIRA1"))
            await #expect(throws: StoreError.inUse(.ciraConfig, name: "cira1", referencedBy: "AMT profile p1")) {
                try await store.ciraConfigs.delete(configName: "cira1")
            }
            #expect(StoreError.inUse(.ciraConfig, name: "cira1", referencedBy: "x").message == "CIRA Config: cira1 is associated with an AMT profile")
            try await store.profiles.delete(profileName: "p1")
            try await store.ciraConfigs.delete(configName: "Cira1")
            await #expect(throws: StoreError.notFound(.ciraConfig, name: "cira1")) {
                try await store.ciraConfigs.delete(configName: "cira1")
            }
        }
    }

    @Test func sqlInjectionInNamesIsJustData() async throws {
        try await withStore { store, _ in
            let evil = "x'; DROP TABLE cira_configs; --"
            try await store.ciraConfigs.create(sampleCIRAConfig("good"))
            try await store.ciraConfigs.create(sampleCIRAConfig(evil))
            #expect(try await store.ciraConfigs.get(configName: evil).configName == evil)
            await #expect(throws: StoreError.notFound(.ciraConfig, name: "' OR '1'='1")) {
                try await store.ciraConfigs.get(configName: "' OR '1'='1")
            }
            await #expect(throws: StoreError.self) { try await store.ciraConfigs.delete(configName: "' OR 1=1 --") }
            #expect(try await store.ciraConfigs.list().totalCount == 2)
        }
    }
}
