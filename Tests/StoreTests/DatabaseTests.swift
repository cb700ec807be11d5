import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct DatabaseTests {
    @Test func openRunsMigrationsAndUsesWALWithFullSync() async throws {
        try await withStore { store, dir in
            #expect(try await store.database.appliedMigrations() == Migrations.migrator.migrations)
            #expect(try await store.database.appliedMigrations().prefix(2) == ["v1-initial-schema", "v2-cira-self-registration"])
            #expect(try await store.database.integrityCheck() == ["ok"])
            #expect(try await store.database.synchronousMode() == 2)  // FULL
            let mode = try await store.database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            let tables = try await store.database.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            }
            #expect(Set(["audit_events", "cira_configs", "devices", "domains", "profiles"]).isSubset(of: tables))
            #expect(Set(["wireless_configs", "ieee8021x_configs", "profile_wifi_configs"]).isSubset(of: tables))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tether.sqlite").path))
        }
    }

    @Test func reopeningKeepsDataAndDoesNotRerunMigrations() async throws {
        try await withTemporaryDirectory { dir in
            let first = try TetherStore.open(dataDirectory: dir)
            try await first.ciraConfigs.create(sampleCIRAConfig(), password: Secret("Abc12345!"))
            try first.database.close()
            let second = try TetherStore.open(dataDirectory: dir)
            defer { try? second.database.close() }
            #expect(try await second.database.appliedMigrations() == Migrations.migrator.migrations)
            #expect(try await second.ciraConfigs.get(configName: "ciraconfig1").mpsPort == 4433)
            #expect(try await second.ciraConfigs.password(configName: "ciraconfig1")?.reveal() == "Abc12345!")
        }
    }

    @Test func notADatabaseIsATypedError() async throws {
        try await withTemporaryDirectory { dir in
            try Data(repeating: 0x41, count: 4096).write(to: dir.appendingPathComponent("tether.sqlite"))
            #expect {
                try Database.open(directory: dir)
            } throws: { error in
                if case StoreError.database? = error as? StoreError { return true }
                return false
            }
        }
    }

    /// Simulates kill -9: acknowledged writes are copied (db + WAL) while the pool is still open,
    /// then the copy is opened like a database after a crash.
    @Test func acknowledgedWritesSurviveACrashCopy() async throws {
        try await withTemporaryDirectory { root in
            let live = root.appendingPathComponent("live")
            let crashed = root.appendingPathComponent("crashed")
            let store = try TetherStore.open(dataDirectory: live)
            var acknowledged: [String] = []
            for n in 0..<200 {
                let guid = sampleGUID(n)
                try await store.devices.create(
                    Device(guid: guid, hostname: "host\(n)", tags: n.isMultiple(of: 2) ? ["even"] : []),
                    secrets: DeviceSecrets(amtPassword: Secret("Pw\(n)!aA1")))
                acknowledged.append(guid)
            }
            let events = (0..<200).map { DeviceConnectionEvent(guid: sampleGUID($0), kind: .connected(instance: "i1"), at: Date(timeIntervalSince1970: 1_800_000_000)) }
            try await store.devices.applyConnectionEvents(events)

            try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
            for name in ["tether.sqlite", "tether.sqlite-wal", "secret.key"] {
                let source = live.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: source.path) {
                    try FileManager.default.copyItem(at: source, to: crashed.appendingPathComponent(name))
                }
            }
            let walSize = (try? FileManager.default.attributesOfItem(atPath: live.appendingPathComponent("tether.sqlite-wal").path)[.size] as? NSNumber)?.intValue ?? 0
            #expect(walSize > 0)  // the writes really were only in the WAL at copy time (or partly checkpointed)

            let reopened = try TetherStore.open(dataDirectory: crashed)
            defer { try? reopened.database.close() }
            #expect(try await reopened.database.integrityCheck() == ["ok"])
            let page = try await reopened.devices.list(page: PageRequest(top: 1000))
            #expect(page.totalCount == 200)
            #expect(Set(page.items.map(\.guid)) == Set(acknowledged))
            #expect(page.items.allSatisfy { $0.connectionStatus && $0.mpsInstance == "i1" })
            #expect(try await reopened.devices.secrets(guid: sampleGUID(199)).amtPassword?.reveal() == "Pw199!aA1")
            try store.database.close()
        }
    }
}
