import Foundation
import Logging
import CTetherABI
@testable import PluginHost
import Synchronization
import Testing
import TetherJSON

/// ABI 1.1: a request's deadline flows into the commands a plugin submits for it, cancelling the
/// request cancels them, and plugins built for either minor version work with hosts of the other.
@Suite struct DeadlineTests {
    /// A host whose `test.probe` command runs `probe`, with the 1.1 C test plugin loaded.
    static func host(
        timeout: Duration = .seconds(30), tableSize: Int = MemoryLayout<tether_host_api>.size,
        probe: @escaping CommandHandler = { _ in ["remainingMs": remainingMilliseconds()] }
    ) async throws -> PluginHost {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let host = PluginHost(bus: CommandBus(), logger: logger, defaultTimeout: timeout, hostTableSize: tableSize)
        host.bus.register(name: "test.probe", summary: "test probe", provider: "host", handler: probe)
        let dir = try CPluginBuilder.temporaryDirectory()
        let record = host.load(path: try await CPluginBuilder.buildDeadlinePlugin(into: dir))
        try #require(record.status == .loaded, "\(record.reason ?? "")")
        return host
    }

    static func remainingMilliseconds() -> JSONValue {
        guard let deadline = CommandDeadline.current else { return .null }
        let left = ContinuousClock.now.duration(to: deadline)
        return .int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
    }

    @Test func aSubmitInheritsTheRequestsDeadlineAndMayOnlyShortenIt() async throws {
        // Generous budgets: a trivial command waited more than 5 s for a pool thread in the full
        // parallel suite on 2 cores. What is tested is where the budget comes from, not speed.
        let host = try await Self.host(timeout: .seconds(60))
        let inherited = try #require(try await host.bus.run("dl.relay")["remainingMs"]?.intValue)
        #expect(inherited <= 60_000 && inherited > 20_000, "\(inherited)")
        // The plugin asks for 20 s: the command gets that, not the parent's 60 s.
        let shortened = try #require(try await host.bus.run("dl.relay_short")["remainingMs"]?.intValue)
        #expect(shortened <= 20_000, "\(shortened)")
        let features = try await host.bus.run("dl.features")
        #expect(features == ["submit_within": 1, "deadline": 1])
        await host.shutdown()
    }

    @Test func missingTheDeadlineCancelsWhatTheRequestSubmitted() async throws {
        let cancelled = Mutex(false)
        let host = try await Self.host(timeout: .milliseconds(500)) { _ in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.withLock { $0 = true }
            }
            return .null
        }
        let started = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("dl.relay") }
        #expect(error?.code == .timeout)
        // Far below the hour the submitted command would otherwise run (the machine may be loaded).
        #expect(started.duration(to: .now) < .seconds(15))
        #expect(await waitUntil { cancelled.withLock { $0 } }, "the submitted command was not cancelled")
        #expect(await waitUntil { host.activity.requests == 0 && host.activity.submissions == 0 }, "\(host.activity)")
        await host.shutdown()
    }

    @Test func aSubmitFromAnAlreadyCancelledRequestIsRefused() async throws {
        let host = try await Self.host()
        let call = Task { try await host.bus.run("dl.cancel_submit") }
        #expect(await waitUntil { host.activity.requests == 1 })
        call.cancel()
        let reply = try await call.value
        #expect(reply["submit_status"]?.intValue == Int(TETHER_ERR_CANCELLED), "\(reply)")
        await host.shutdown()
    }

    @Test func aCompletionAfterTheDeadlineIsDroppedAndTheHostKeepsServing() async throws {
        let host = try await Self.host(timeout: .milliseconds(500))
        let error = await #expect(throws: CommandError.self) { try await host.bus.run("dl.late") }
        #expect(error?.code == .timeout)
        // The plugin completes it now, after its deadline: the host drops that callback (and logs
        // it) and goes on serving.
        #expect(try await host.bus.run("dl.finish_late")["late"] == 1)
        #expect(try await host.bus.run("dl.features")["submit_within"] == 1)
        await host.shutdown()
    }

    @Test func aVersion11PluginOnAHostWithoutThe11FieldsFallsBack() async throws {
        let host = try await Self.host(tableSize: HostAPITable.version10Size)
        #expect(try await host.bus.run("dl.features") == ["submit_within": 0, "deadline": 0])
        // dl.relay uses the v1.0 submit: no inherited deadline reaches the command.
        #expect(try await host.bus.run("dl.relay")["remainingMs"] == .null)
        await host.shutdown()
    }

    @Test func aSwiftKitPluginOnAVersion10HostStillSubmits() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let host = PluginHost(bus: CommandBus(), logger: logger, defaultTimeout: .seconds(120), hostTableSize: HostAPITable.version10Size)
        let records = host.loadAll(from: [.bundled()])
        let record = try #require(records.first { $0.id == "io.tether.diagnostics" })
        #expect(record.status == .loaded, "\(record.reason ?? "")")
        let reply = try await host.bus.run("diagnostics.sample", args: ["command": "host.version", "count": 2, "intervalMs": 10])
        #expect(reply["samples"]?.arrayValue?.count == 2)
        await host.shutdown()
    }
}

/// Polls `condition` until it holds, at most `timeout`.
func waitUntil(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
