import Foundation
import PluginHost
import Testing
import TetherJSON

/// Typed C commands (`tether.c-commands/1`): plain C functions called through libffi, with JSON
/// arguments decoded by name and results encoded by the host.
@Suite struct TypedCCommandTests {
    static func host(timeout: Duration = .seconds(30)) async throws -> (PluginHost, PluginRecord) {
        let dir = try CPluginBuilder.temporaryDirectory()
        let source = CPluginBuilder.repositoryRoot.appendingPathComponent("Tests/Fixtures/c-plugins/typed_plugin.c").path
        let path = try await CPluginBuilder.buildV11Plugin(source, into: dir, name: "typed.so")
        let host = makePluginHost(timeout: timeout)
        return (host, host.load(path: path))
    }

    @Test func typedCommandsAreCalledWithDecodedArgumentsAndAnUnknownTypeRefusesOnlyThatOne() async throws {
        let (host, record) = try await Self.host()
        #expect(record.status == .loaded, "\(record.reason ?? "")")
        let manifest = record.contributions["tether.c-commands/1"]
        let refused = manifest?["refused"]?.arrayValue ?? []
        #expect(refused.count == 1)
        #expect(refused.first?["name"] == "typed.bad")
        #expect(refused.first?["reason"]?.stringValue?.contains("unknown type 'widget'") == true, "\(refused)")
        #expect(host.bus.descriptor(named: "typed.bad") == nil)
        #expect(host.bus.descriptor(named: "typed.add")?.provider == "test.c.typed")

        #expect(try await host.bus.run("typed.add", args: ["a": 40, "b": 2]) == ["result": 42])
        #expect(try await host.bus.run("typed.scale", args: ["x": 1.5, "factor": 4]) == ["result": 6.0])
        #expect(try await host.bus.run("typed.greet", args: ["name": "Ada", "loud": true]) == ["result": "HELLO, Ada!"])
        #expect(try await host.bus.run("typed.greet", args: ["name": "Bob", "loud": false]) == ["result": "hello, Bob"])
        #expect(try await host.bus.run("typed.release") == ["result": 0])
        let echoed = try await host.bus.run("typed.echo", args: ["text": "over there"])
        #expect(echoed == ["echo": "over there", "length": 10])
        await host.shutdown()
    }

    @Test func argumentsOfTheWrongTypeAreABadRequestNamingThem() async throws {
        let (host, _) = try await Self.host()
        let wrong = await #expect(throws: CommandError.self) { try await host.bus.run("typed.add", args: ["a": "forty", "b": 2]) }
        #expect(wrong?.code == .badRequest)
        #expect(wrong?.detail?.arrayValue?.map { $0["field"] } == ["a"], "\(String(describing: wrong))")
        let missing = await #expect(throws: CommandError.self) { try await host.bus.run("typed.greet", args: ["name": "x"]) }
        #expect(missing?.detail?.arrayValue?.first?["field"] == "loud")
        let tooBig = await #expect(throws: CommandError.self) { try await host.bus.run("typed.scale", args: ["x": 1, "factor": 5_000_000_000]) }
        #expect(tooBig?.detail?.arrayValue?.first?["field"] == "factor")
        await host.shutdown()
    }

    @Test func anAsynchronousAnswerAfterTheDeadlineIsDropped() async throws {
        let (host, _) = try await Self.host(timeout: .milliseconds(300))
        let late = await #expect(throws: CommandError.self) { try await host.bus.run("typed.never") }
        #expect(late?.code == .timeout)
        // Answered now, after the deadline: dropped (and logged); the host keeps serving.
        #expect(try await host.bus.run("typed.release") == ["result": 1])
        #expect(try await host.bus.run("typed.add", args: ["a": 1, "b": 1]) == ["result": 2])
        await host.shutdown()
    }
}
