import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct DeviceRepositoryTests {
    private func seed(_ store: TetherStore) async throws {
        let rows: [(Int, String, [String])] = [
            (1, "host1", ["acm", "lab"]),
            (2, "host2", ["acm"]),
            (3, "host3", ["lab"]),
            (4, "host4", []),
            (5, "host1", ["ccm", "lab", "x' OR '1'='1"]),
        ]
        for (n, host, tags) in rows {
            try await store.devices.create(Device(guid: sampleGUID(n), hostname: host, tags: tags, mpsUsername: "admin"))
        }
        try await store.devices.create(Device(guid: sampleGUID(9), hostname: "host1", tags: ["acm"], tenantId: "other"))
    }

    private func guids(_ page: Page<Device>) -> [Int] {
        page.items.map { Int($0.guid.suffix(12))! }
    }

    @Test func createGetUpdateDelete() async throws {
        try await withStore { store, _ in
            let info = DeviceInfo(fwVersion: "16.1.25", fwBuild: "2128", fwSku: "16392", currentMode: "0",
                                  features: "AMT Pro Corporate ", ipAddress: "", lastUpdated: Date(timeIntervalSince1970: 1_700_000_000))
            let upper = "143E4567-E89B-12D3-A456-426614174000"
            var device = try await store.devices.create(
                Device(guid: upper, hostname: "hostname", friendlyName: "friendlyName", dnsSuffix: "test.com",
                       mpsUsername: "admin", deviceInfo: info),
                secrets: DeviceSecrets(mpsPassword: Secret("sOK1A4Wh$rtp!FB2"), amtPassword: Secret("Intel123!")))
            #expect(device.guid == upper.lowercased())
            #expect(device.connectionStatus == false && device.version == 1)
            #expect(device.deviceInfo == info)
            #expect(device.hasMPSPassword && device.hasAMTPassword && !device.hasMEBxPassword)
            await #expect(throws: StoreError.duplicate(.device, name: upper.lowercased())) {
                try await store.devices.create(Device(guid: upper))
            }
            await #expect(throws: StoreError.self) { try await store.devices.create(Device(guid: "not-a-guid")) }

            device.dnsSuffix = "os.suffix.com"
            device.tags = ["acm"]
            let updated = try await store.devices.update(device)
            #expect(updated.version == 2 && updated.dnsSuffix == "os.suffix.com" && updated.tags == ["acm"])
            await #expect(throws: StoreError.conflict(.device, name: upper.lowercased(), currentVersion: 2)) {
                try await store.devices.update(device)
            }
            try await store.devices.updateSecrets(guid: upper, changes: DeviceSecretChanges(amtPassword: .set(Secret("New123!a")), mebxPassword: .set(Secret("Mebx!23a"))))
            let secrets = try await store.devices.secrets(guid: upper)
            #expect(secrets.mpsPassword?.reveal() == "sOK1A4Wh$rtp!FB2")
            #expect(secrets.amtPassword?.reveal() == "New123!a")
            #expect(secrets.mebxPassword?.reveal() == "Mebx!23a")
            // Another tenant cannot see or delete it.
            await #expect(throws: StoreError.notFound(.device, name: upper.lowercased())) { try await store.devices.get(guid: upper, tenantId: "t2") }
            await #expect(throws: StoreError.notFound(.device, name: upper.lowercased())) { try await store.devices.delete(guid: upper, tenantId: "t2") }
            try await store.devices.delete(guid: upper)
            await #expect(throws: StoreError.notFound(.device, name: upper.lowercased())) { try await store.devices.get(guid: upper) }
            #expect(StoreError.notFound(.device, name: "g").message == "Device ID g not found")
        }
    }

    @Test func filtersByTagsHostnameAndStatus() async throws {
        try await withStore { store, _ in
            try await seed(store)
            let any = try await store.devices.list(filter: DeviceFilter(tags: ["acm", "ccm"], tagMatch: .any))
            #expect(guids(any) == [1, 2, 5])
            #expect(any.totalCount == 3)
            let all = try await store.devices.list(filter: DeviceFilter(tags: ["acm", "lab"], tagMatch: .all))
            #expect(guids(all) == [1])
            let host = try await store.devices.list(filter: DeviceFilter(hostname: "host1"))
            #expect(guids(host) == [1, 5])
            let combined = try await store.devices.list(filter: DeviceFilter(tags: ["lab"], hostname: "host1"))
            #expect(guids(combined) == [1, 5])
            let paged = try await store.devices.list(page: PageRequest(top: 2, skip: 1))
            #expect(guids(paged) == [2, 3])
            #expect(paged.totalCount == 5)

            try await store.devices.applyConnectionEvents([
                DeviceConnectionEvent(guid: sampleGUID(2), kind: .connected(instance: "a"), at: Date()),
                DeviceConnectionEvent(guid: sampleGUID(3), kind: .connected(instance: "a"), at: Date()),
            ])
            #expect(guids(try await store.devices.list(filter: DeviceFilter(connectionStatus: true))) == [2, 3])
            #expect(guids(try await store.devices.list(filter: DeviceFilter(tags: ["lab"], connectionStatus: false))) == [1, 5])
            let stats = try await store.devices.stats()
            #expect(stats.total == 5 && stats.connected == 2)
            #expect(try await store.devices.tags() == ["acm", "ccm", "lab", "x' OR '1'='1"])
        }
    }

    @Test func sqlInjectionInFiltersIsJustData() async throws {
        try await withStore { store, _ in
            try await seed(store)
            let attempts = ["' OR '1'='1", "host1' OR 1=1 --", "\"); DROP TABLE devices; --", "%", "*"]
            for attempt in attempts {
                #expect(try await store.devices.list(filter: DeviceFilter(hostname: attempt)).items.isEmpty)
                #expect(try await store.devices.list(filter: DeviceFilter(tags: [attempt], tagMatch: .all)).items.isEmpty)
                #expect(try await store.devices.list(filter: DeviceFilter(friendlyName: attempt)).items.isEmpty)
            }
            // A tag that literally is an injection string matches only the device carrying it.
            #expect(guids(try await store.devices.list(filter: DeviceFilter(tags: ["x' OR '1'='1"]))) == [5])
            #expect(try await store.devices.list(page: PageRequest(top: 100)).totalCount == 5)
            #expect(try await store.database.integrityCheck() == ["ok"])
        }
    }

    @Test func connectionEventsApplyInOneBatch() async throws {
        try await withStore { store, _ in
            try await seed(store)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            let result = try await store.devices.applyConnectionEvents([
                DeviceConnectionEvent(guid: sampleGUID(1), kind: .connected(instance: "host-a"), at: t0),
                DeviceConnectionEvent(guid: sampleGUID(1), kind: .seen, at: t0 + 30),
                DeviceConnectionEvent(guid: sampleGUID(1), kind: .seen, at: t0 + 10),  // older: stale
                DeviceConnectionEvent(guid: sampleGUID(2), kind: .connected(instance: "host-a"), at: t0),
                DeviceConnectionEvent(guid: sampleGUID(2), kind: .disconnected, at: t0 + 60),
                DeviceConnectionEvent(guid: sampleGUID(3), kind: .connected(instance: "host-b"), at: t0 + 100),
                DeviceConnectionEvent(guid: sampleGUID(3), kind: .disconnected, at: t0 + 50),  // before the connect: stale
                DeviceConnectionEvent(guid: sampleGUID(77), kind: .seen, at: t0),
                DeviceConnectionEvent(guid: sampleGUID(77), kind: .disconnected, at: t0),
            ])
            #expect(result == ConnectionEventsResult(applied: 5, stale: 2, unknownGUIDs: [sampleGUID(77)]))
            let one = try await store.devices.get(guid: sampleGUID(1))
            #expect(one.connectionStatus && one.mpsInstance == "host-a")
            #expect(one.lastConnected == t0 && one.lastSeen == t0 + 30)
            #expect(one.version == 1)  // connection events are not user edits
            let two = try await store.devices.get(guid: sampleGUID(2))
            #expect(!two.connectionStatus && two.mpsInstance == nil && two.lastDisconnected == t0 + 60)
            let three = try await store.devices.get(guid: sampleGUID(3))
            #expect(three.connectionStatus && three.lastDisconnected == nil)

            #expect(try await store.devices.clearInstance("host-a", at: t0 + 200) == 1)
            let cleared = try await store.devices.get(guid: sampleGUID(1))
            #expect(!cleared.connectionStatus && cleared.mpsInstance == nil && cleared.lastDisconnected == t0 + 200)
            #expect(try await store.devices.get(guid: sampleGUID(3)).connectionStatus)
        }
    }

    @Test func tamperedSealedColumnIsDetected() async throws {
        try await withStore { store, _ in
            try await store.devices.create(Device(guid: sampleGUID(1)), secrets: DeviceSecrets(amtPassword: Secret("Intel123!")))
            try await store.database.pool.write { db in
                let blob = try Data.fetchOne(db, sql: "SELECT amt_password FROM devices")!
                var bad = blob
                bad[bad.count / 2] ^= 0xFF
                try db.execute(sql: "UPDATE devices SET amt_password = ?", arguments: [bad])
            }
            await #expect(throws: SecretError.tampered) { try await store.devices.secrets(guid: sampleGUID(1)) }
            // Swapping a sealed value into another column fails too (context binding).
            try await store.devices.updateSecrets(guid: sampleGUID(1), changes: DeviceSecretChanges(mpsPassword: .set(Secret("Mps12345!"))))
            try await store.database.pool.write { db in
                try db.execute(sql: "UPDATE devices SET amt_password = mps_password")
            }
            await #expect(throws: SecretError.tampered) { try await store.devices.secrets(guid: sampleGUID(1)) }
        }
    }
}
