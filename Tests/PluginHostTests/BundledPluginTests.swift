import Foundation
import PluginHost
import Testing
import TetherJSON

/// The Swift plugin bundled with the host, and the C example under examples/, loaded for real.
@Suite struct BundledPluginTests {
    @Test func diagnosticsPluginComputesASummaryThroughHostCommands() async throws {
        let host = makePluginHost()
        let records = host.loadAll(
            from: [.bundled()], settings: PluginSettings(configs: ["io.tether.diagnostics": ["site": "lab-7"]]))
        let record = try #require(records.first { $0.id == "io.tether.diagnostics" }, "bundled plugin not found in \(PluginSearchPath.executableDirectory)")
        #expect(record.status == .loaded)
        let summary = try await host.bus.run("diagnostics.summary")
        #expect(summary["site"] == "lab-7")
        let catalogue = host.bus.catalogue()
        #expect(summary["commandCount"]?.intValue == catalogue.count)
        #expect(summary["commandsByProvider"]?["host"]?.intValue == catalogue.filter { $0.provider == "host" }.count)
        #expect(summary["pluginsByStatus"]?["loaded"]?.intValue == host.loadedPlugins().count)
        await host.shutdown()
    }

    @Test func diagnosticsSamplesAHostCommand() async throws {
        let host = makePluginHost()
        host.loadAll(from: [.bundled()])
        let reply = try await host.bus.run("diagnostics.sample", args: ["command": "host.version", "count": 3, "intervalMs": 10])
        let samples = reply["samples"]?.arrayValue ?? []
        #expect(samples.count == 3)
        #expect(samples.allSatisfy { $0["result"]?["version"]?.stringValue == TetherHostVersion.current })
        let bad = await #expect(throws: CommandError.self) {
            try await host.bus.run("diagnostics.sample", args: ["command": "host.version", "count": 0])
        }
        #expect(bad?.code == .badRequest)
        await host.shutdown()
    }

    @Test func destroyDrainsInFlightSwiftPluginRequests() async throws {
        let host = makePluginHost(timeout: .seconds(3600))
        host.loadAll(from: [.bundled()])
        // A request that would run for ~17 minutes: destroy must cancel it and deliver its
        // callback (cancelled) before returning, instead of waiting or leaking a late callback.
        let running = Task {
            try await host.bus.run("diagnostics.sample", args: ["command": "host.version", "count": 1000, "intervalMs": 1000])
        }
        try await Task.sleep(for: .milliseconds(300))
        await host.shutdown()
        let result = await running.result
        guard case .failure(let error as CommandError) = result else {
            Issue.record("expected the in-flight request to end with an error, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
    }

    @Test func cancellingTheCallerCancelsASwiftPluginRequest() async throws {
        let host = makePluginHost(timeout: .seconds(3600))
        host.loadAll(from: [.bundled()])
        let running = Task {
            try await host.bus.run("diagnostics.sample", args: ["command": "host.version", "count": 1000, "intervalMs": 1000])
        }
        try await Task.sleep(for: .milliseconds(300))
        running.cancel()
        guard case .failure(let error as CommandError) = await running.result else {
            Issue.record("expected a cancellation error")
            return
        }
        #expect(error.code == .cancelled)
        // The plugin still serves new requests.
        #expect(try await host.bus.run("diagnostics.summary")["commandCount"] != nil)
        await host.shutdown()
    }

    @Test func diagnosticsPluginRejectsBadConfiguration() async throws {
        let host = makePluginHost()
        let records = host.loadAll(
            from: [.bundled()], settings: PluginSettings(configs: ["io.tether.diagnostics": ["site": 42]]))
        let record = try #require(records.first { $0.id == "io.tether.diagnostics" })
        #expect(record.status == .failed)
        #expect(record.reason?.contains("create() failed") == true)
    }

    @Test func cExamplePluginBuildsWithMakeAndComputesTextStats() async throws {
        let example = CPluginBuilder.repositoryRoot.appendingPathComponent("examples/c-text-stats").path
        let out = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.run("/usr/bin/make", ["-s", "-B", "-C", example, "libtext_stats.so"])
        try FileManager.default.copyItem(atPath: example + "/libtext_stats.so", toPath: out + "/libtext_stats.so")
        let host = makePluginHost()
        let record = host.load(path: out + "/libtext_stats.so")
        #expect(record.status == .loaded)
        let text = "two words\nand three more\n"
        let stats = try await host.bus.run("example.text-stats", args: ["text": .string(text)])
        #expect(stats["bytes"]?.intValue == text.utf8.count)
        #expect(stats["lines"]?.intValue == 2)
        #expect(stats["words"]?.intValue == 5)
        #expect(stats["crc32"]?.intValue == Int(CRC32.checksum(Array(text.utf8))))
        let bad = await #expect(throws: CommandError.self) { try await host.bus.run("example.text-stats", args: ["nope": 1]) }
        #expect(bad?.code == .badRequest)
        await host.shutdown()
    }
}

/// Reference CRC-32 (IEEE) to check the C plugin's computation independently.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
