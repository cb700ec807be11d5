import Foundation
import PluginHost
import Testing
import TestSupport
import TetherJSON

/// A Swift plugin built outside this repository (examples/swift-hello-action: its own SwiftPM
/// package, depending on Tether by path and linking only TetherPluginKit) builds and loads.
@Suite struct OutOfTreeSwiftPluginTests {
    static let example = CPluginBuilder.repositoryRoot.appendingPathComponent("examples/swift-hello-action").path

    @Test func theHelloActionPackageBuildsFromItsOwnFolderAndContributesItsAction() async throws {
        // Its own scratch directory (kept between runs: the first build resolves the graph).
        let built = try await ChildProcess.run(
            "/usr/bin/env", ["swift", "build", "--package-path", Self.example, "--product", "HelloAction"], timeout: .seconds(900))
        try #require(built.status == 0 && !built.timedOut, "swift build failed: \(built.stdout.suffix(2000))\(built.stderr.suffix(2000))")
        let library = Self.example + "/.build/debug/libHelloAction.so"
        try #require(FileManager.default.fileExists(atPath: library), "no \(library)")

        let host = makePluginHost(timeout: .seconds(30))
        host.bus.register(name: "amt.power.state", summary: "power state (test host)", provider: "host") { args in
            ["powerState": 2, "guid": args["guid"] ?? .null]
        }
        let record = host.load(path: library, settings: PluginSettings(configs: ["com.example.hello-action": ["greeting": "hi"]]))
        #expect(record.status == .loaded, "\(record.reason ?? "")")
        #expect(record.abi == TetherHostVersion.abiText)
        let actions = record.contributions["tether.power-actions/1"]?["actions"]?.arrayValue ?? []
        #expect(actions.first?["code"] == 950)
        let reply = try await host.call(
            pluginID: "com.example.hello-action",
            request: ["op": "power.action", "guid": "0000-hello", "action": ["code": 950, "name": "hello-power-state"]])
        #expect(reply == ["greeting": "hi, 0000-hello", "powerState": 2])
        await host.shutdown()
    }
}
