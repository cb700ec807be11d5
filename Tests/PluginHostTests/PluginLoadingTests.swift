import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PluginHost
import Testing
import TetherJSON

/// Every bad plugin file is refused with a reason, and the good plugins beside it keep working.
@Suite struct PluginLoadingTests {
    @Test func badPluginsAreRefusedWithReasonsAndGoodOnesStillWork() async throws {
        let dir = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "a_good.so")
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "b_null_entry.so", defines: ["MODE_NULL_ENTRY", "PLUGIN_ID=\"t.null\""])
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "c_abi2.so", defines: ["MODE_ABI2", "PLUGIN_ID=\"t.abi2\""])
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "d_small.so", defines: ["MODE_SMALL", "PLUGIN_ID=\"t.small\""])
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "e_create_fail.so", defines: ["MODE_CREATE_FAIL", "PLUGIN_ID=\"t.fail\""])
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "f_no_entry.so", defines: ["MODE_NO_ENTRY"])
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "g_duplicate.so")  // same id as a_good
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "h_bad_manifest.so", defines: ["MODE_BAD_MANIFEST", "PLUGIN_ID=\"t.manifest\""])
        try Data("this is not an ELF file".utf8).write(to: URL(fileURLWithPath: dir + "/i_junk.so"))

        let host = makePluginHost()
        let records = host.loadAll(from: [PluginSearchPath(directory: dir)])
        let byFile = Dictionary(uniqueKeysWithValues: records.map { (($0.path as NSString).lastPathComponent, $0) })

        #expect(byFile["a_good.so"]?.status == .loaded)
        #expect(byFile["a_good.so"]?.abi == "1.0")
        let refusals: [(String, String)] = [
            ("b_null_entry.so", "returned NULL"),
            ("c_abi2.so", "ABI major version 2"),
            ("d_small.so", "struct_size 40"),
            ("e_create_fail.so", "create() failed with status -1"),
            ("f_no_entry.so", "no 'tether_plugin_entry' entry function"),
            ("g_duplicate.so", "duplicate plugin id 'test.c.plugin'"),
            ("h_bad_manifest.so", "manifest"),
            ("i_junk.so", "not a loadable library"),
        ]
        for (file, reason) in refusals {
            let record = try #require(byFile[file], "no record for \(file)")
            #expect(record.status == .failed, "\(file) should be refused")
            #expect(record.reason?.contains(reason) == true, "\(file): reason was \(record.reason ?? "nil")")
        }
        // The host keeps serving the good plugin.
        let echoed = try await host.bus.run("test.echo", args: ["x": 1])
        #expect(echoed["args"]?["x"] == 1)
        #expect(host.loadedPlugins().map(\.id) == ["test.c.plugin"])
        await host.shutdown()
    }

    /// Before: a world-writable directory and `.so` loaded without a word, and a library planted
    /// by another user ran its constructor before being refused.
    @Test func pluginsWithUnsafeOwnersOrModesAreRefusedBeforeDlopen() async throws {
        let dir = try CPluginBuilder.temporaryDirectory()
        let writable = try await CPluginBuilder.buildTestPlugin(into: dir, name: "writable.so", defines: ["PLUGIN_ID=\"t.writable\""])
        let group = try await CPluginBuilder.buildTestPlugin(into: dir, name: "group.so", defines: ["PLUGIN_ID=\"t.group\""])
        let foreign = try await CPluginBuilder.buildTestPlugin(into: dir, name: "foreign.so", defines: ["PLUGIN_ID=\"t.foreign\""])
        let good = try await CPluginBuilder.buildTestPlugin(into: dir, name: "good.so")
        chmod(writable, 0o666)
        chmod(group, 0o775)
        let canChown = geteuid() == 0
        if canChown { chown(foreign, 65534, 65534) }
        let host = makePluginHost()
        let records = Dictionary(uniqueKeysWithValues: host.loadAll(from: [PluginSearchPath(directory: dir)]).map {
            (($0.path as NSString).lastPathComponent, $0)
        })
        #expect(records["good.so"]?.status == .loaded)
        #expect(records["writable.so"]?.status == .failed)
        #expect(records["writable.so"]?.reason?.contains("world-writable") == true, "\(records["writable.so"]?.reason ?? "nil")")
        #expect(records["group.so"]?.reason?.contains("group-writable") == true, "\(records["group.so"]?.reason ?? "nil")")
        if canChown {
            #expect(records["foreign.so"]?.reason?.contains("owned by uid 65534") == true, "\(records["foreign.so"]?.reason ?? "nil")")
        }
        await host.shutdown()
        // A world-writable directory taints every file in it.
        chmod(dir, 0o777)
        let again = makePluginHost()
        let record = again.load(path: good)
        #expect(record.status == .failed)
        #expect(record.reason?.contains("its directory") == true && record.reason?.contains("world-writable") == true)
        await again.shutdown()
    }

    @Test func futureMinorPluginWithLargerDescriptorLoads() async throws {
        let dir = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "future.so", defines: ["MODE_FUTURE", "PLUGIN_ID=\"t.future\""])
        let host = makePluginHost()
        let record = host.load(path: dir + "/future.so")
        #expect(record.status == .loaded)
        #expect(record.abi == "1.7")
        #expect(record.version == "9.9.9")
        let reply = try await host.bus.run("test.echo", args: ["hello": "future"])
        #expect(reply["args"]?["hello"] == "future")
        await host.shutdown()
    }

    @Test func disabledPluginIsListedButNotCreated() async throws {
        let dir = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "p.so")
        let host = makePluginHost()
        let record = host.load(path: dir + "/p.so", settings: PluginSettings(disabled: ["test.c.plugin"]))
        #expect(record.status == .disabled)
        #expect(record.id == "test.c.plugin")
        #expect(host.bus.descriptor(named: "test.echo") == nil)
        await #expect(throws: CommandError.self) { try await host.bus.run("test.echo") }
    }

    @Test func pluginCommandsAppearInTheCatalogue() async throws {
        let dir = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "p.so")
        let host = makePluginHost()
        host.load(path: dir + "/p.so")
        let catalogue = try await host.bus.run("host.commands")
        let names = catalogue["commands"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("test.echo"))
        #expect(names.contains("host.commands"))
        #expect(names.contains("host.plugins"))
        let provider = catalogue["commands"]?.arrayValue?.first { $0["name"] == "test.echo" }?["provider"]
        #expect(provider == "test.c.plugin")
        await host.shutdown()
    }
}
