import Foundation
import PluginHost
import Testing
import TestSupport
import TetherJSON

/// Runs the real `tether` executable built next to the test bundle.
@Suite struct CLITests {
    static var tetherPath: String { PluginSearchPath.executableDirectory + "/tether" }

    private func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await ChildProcess.run(Self.tetherPath, arguments)
        return (result.status, result.stdout, result.stderr)
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tether-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func versionNamesHostAndABI() async throws {
        let result = try await run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(TetherHostVersion.current))
        #expect(result.stdout.contains("ABI \(TetherHostVersion.abiText)"))
    }

    @Test func pluginsListShowsBundledAndRefusedPlugins() async throws {
        let dir = try temporaryDirectory()
        try Data("junk".utf8).write(to: URL(fileURLWithPath: dir + "/libbroken.so"))
        let result = try await run(["plugins", "list", "--json", "--plugins", dir, "--data-dir", dir + "/data"])
        #expect(result.status == 0)
        let json = try JSONValue(parsing: result.stdout)
        let plugins = json["plugins"]?.arrayValue ?? []
        let diagnostics = plugins.first { $0["id"] == "io.tether.diagnostics" }
        #expect(diagnostics?["status"] == "loaded")
        #expect(diagnostics?["abi"] == .string(TetherHostVersion.abiText))
        #expect(diagnostics?["contributions"]?["tether.commands/1"] != nil)
        let broken = plugins.first { $0["path"]?.stringValue?.hasSuffix("libbroken.so") == true }
        #expect(broken?["status"] == "failed")
        #expect(broken?["reason"]?.stringValue?.contains("not a loadable library") == true)
        // The refusal is logged once, naming the file.
        #expect(result.stderr.contains("plugin refused"))
    }

    @Test func commandRunsAPluginCommand() async throws {
        let dir = try temporaryDirectory()
        let result = try await run(["command", "diagnostics.summary", "--data-dir", dir])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect((json["commandCount"]?.intValue ?? 0) >= 4)
        let bad = try await run(["command", "no.such", "--data-dir", dir])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown command 'no.such'"))
    }

    @Test func serveStopsGracefullyOnSIGTERM() async throws {
        let dir = try temporaryDirectory()
        let server = try BackgroundProcess(
            Self.tetherPath,
            ["serve", "--data-dir", dir + "/data", "--cira-port", "0", "--http-port", "0", "--common-name", "127.0.0.1"])
        #expect(await server.waitForOutput(containing: "host started"))
        // The product links jemalloc (README "Memory per tunnel and handshakes").
        #expect(server.output.contains("allocator=jemalloc"), "output: \(server.output)")
        // Swift concurrency runs on the event loops, each job on the generic executor.
        #expect(server.output.contains("executor=event-loops"), "output: \(server.output)")
        server.signal(SIGTERM)
        let exit = await server.waitForExit()
        #expect(exit.status == 0)
        #expect(exit.reason == .exit)
        #expect(server.output.contains("shutting down"))
        #expect(server.output.contains("host stopped"))
        #expect(FileManager.default.fileExists(atPath: dir + "/data"))
    }

    /// A host that takes a request but never answers: the CLI reports it (and does not run the
    /// command a second time locally) instead of hanging. A stale socket file with no host behind
    /// it falls back to a local run.
    @Test func controlSocketWithoutAnswerIsAnErrorAndAStaleSocketFallsBack() async throws {
        let dir = try temporaryDirectory()
        let socket = dir + "/tether.sock"
        let silent = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "-c", "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); print('listening', flush=True); c,_=s.accept(); time.sleep(60)", socket])
        #expect(await silent.waitForOutput(containing: "listening"))
        let result = try await ChildProcess.run(
            Self.tetherPath, ["command", "host.version", "--data-dir", dir],
            environment: ProcessInfo.processInfo.environment.merging(["TETHER_CONTROL_TIMEOUT": "1"]) { _, new in new })
        #expect(result.status != 0)
        #expect(result.stderr.contains("did not answer within 1 s"), "stderr: \(result.stderr)")
        silent.signal(SIGKILL)
        _ = await silent.waitForExit()

        // The socket file is left behind with nobody listening: the command runs locally.
        #expect(FileManager.default.fileExists(atPath: socket))
        let local = try await run(["command", "host.version", "--data-dir", dir])
        #expect(local.status == 0, "stderr: \(local.stderr)")
        #expect(local.stdout.contains(TetherHostVersion.current))
    }
}
