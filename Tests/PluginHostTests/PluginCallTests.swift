import Foundation
import PluginHost
import Testing
import TetherJSON

/// Request routing: deadlines, cancellation, malformed replies, errors and host submits.
@Suite struct PluginCallTests {
    private func hostWithTestPlugin(timeout: Duration = .seconds(30)) async throws -> PluginHost {
        let dir = try CPluginBuilder.temporaryDirectory()
        try await CPluginBuilder.buildTestPlugin(into: dir, name: "p.so")
        let host = makePluginHost(timeout: timeout)
        let record = host.load(path: dir + "/p.so")
        guard record.status == .loaded else { throw CommandError(.internal, "test plugin failed: \(record.reason ?? "")") }
        return host
    }

    @Test func pluginThatNeverCallsBackHitsTheDeadline() async throws {
        let host = try await hostWithTestPlugin(timeout: .milliseconds(200))
        let started = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("test.never") }
        #expect(error?.code == .timeout)
        // The deadline, not a hang, ended the call (no upper bound: timing asserts flake on a loaded CI box).
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        // The host still serves other requests afterwards.
        #expect(try await host.bus.run("test.echo", args: ["n": 2])["args"]?["n"] == 2)
        await host.shutdown()
    }

    @Test func garbageJSONFromAPluginIsAClearError() async throws {
        let host = try await hostWithTestPlugin()
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("test.garbage") }
        #expect(error?.code == .pluginFailure)
        #expect(error?.message.contains("malformed JSON") == true)
        await host.shutdown()
    }

    @Test func pluginErrorBodyIsPassedThrough() async throws {
        let host = try await hostWithTestPlugin()
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("test.fail") }
        #expect(error?.code == .notFound)
        #expect(error?.message == "no such widget")
        await host.shutdown()
    }

    @Test func cancellingTheCallerCancelsThePluginRequest() async throws {
        let host = try await hostWithTestPlugin(timeout: .seconds(30))
        let task = Task { try await host.bus.run("test.cancelable") }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as CommandError) = result else {
            Issue.record("expected a CommandError, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        await host.shutdown()
    }

    @Test func pluginCanSubmitHostCommands() async throws {
        let host = try await hostWithTestPlugin()
        let reply = try await host.bus.run("test.version")
        #expect(reply["version"]?.stringValue == TetherHostVersion.current)
        #expect(reply["abi"]?.stringValue == TetherHostVersion.abiText)
        await host.shutdown()
    }

    @Test func unknownCommandIsNotFound() async throws {
        let host = makePluginHost()
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("no.such.command") }
        #expect(error?.code == .notFound)
    }

    @Test func manyConcurrentCallsAllComplete() async throws {
        let host = try await hostWithTestPlugin()
        let count = 500
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<count {
                group.addTask { try await host.bus.run("test.echo", args: ["i": .number(i)])["args"]?["i"]?.intValue ?? -1 }
            }
            return try await group.reduce(0, +)
        }
        #expect(sum == count * (count - 1) / 2)
        await host.shutdown()
    }

    @Test func callsAfterShutdownAreRefused() async throws {
        let host = try await hostWithTestPlugin()
        await host.shutdown()
        let error = await #expect(throws: CommandError.self) { try await host.call(pluginID: "test.c.plugin", request: ["op": "command"]) }
        #expect(error?.code == .unavailable)
    }
}
