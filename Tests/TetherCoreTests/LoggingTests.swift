import Foundation
import PluginHost
import Testing
import TestSupport
import TetherJSON

/// swift-log is bootstrapped once in the `tether` process: the level and format reach every
/// logger, including what a plugin logs through `host->log`.
@Suite(.serialized) struct LoggingTests {
    static var tetherPath: String { PluginSearchPath.executableDirectory + "/tether" }

    /// Runs `tether serve` with `arguments`, waits for its control socket, asks it for
    /// `diagnostics.summary` (the Diagnostics plugin logs a debug line through the host while
    /// computing it), then stops it and returns everything it printed.
    private func serveAndAskForSummary(_ arguments: [String]) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-log-\(UUID().uuidString)").path
        let server = try BackgroundProcess(
            Self.tetherPath,
            ["serve", "--data-dir", dir, "--cira-port", "0", "--http-port", "0", "--common-name", "127.0.0.1"] + arguments)
        let socket = dir + "/tether.sock"
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: socket), "no control socket; output: \(server.output)")
        let summary = try await ChildProcess.run(Self.tetherPath, ["command", "diagnostics.summary", "--data-dir", dir])
        #expect(summary.status == 0, "stderr: \(summary.stderr)")
        // The reply was written after the plugin logged, so its line is already in the pipe;
        // all output is read to the end once the process has exited.
        server.signal(SIGTERM)
        let exit = await server.waitForExit()
        #expect(exit.status == 0)
        return server.output
    }

    @Test func debugLevelShowsAndWarningHidesPluginDebugLines() async throws {
        let debug = try await serveAndAskForSummary(["--log-level", "debug"])
        #expect(debug.contains("summary computed over"), "debug output: \(debug)")
        #expect(debug.contains("plugin=io.tether.diagnostics"))
        let warning = try await serveAndAskForSummary(["--log-level", "warning"])
        #expect(!warning.contains("summary computed over"), "warning output: \(warning)")
        #expect(!warning.contains("host started"))  // info lines are hidden too
    }

    @Test func jsonFormatWritesOneObjectPerLine() async throws {
        let output = try await serveAndAskForSummary(["--log-level", "debug", "--log-format", "json"])
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count > 5)
        var sawPluginLine = false
        for line in lines {
            let object = try JSONValue(parsing: line)
            for key in ["timestamp", "level", "label", "message"] {
                #expect(object[key]?.stringValue != nil, "no \(key) in \(line)")
            }
            #expect(object["metadata"]?.objectValue != nil, "no metadata object in \(line)")
            if object["message"]?.stringValue?.hasPrefix("summary computed over") == true {
                sawPluginLine = true
                #expect(object["level"] == "debug")
                #expect(object["metadata"]?["plugin"] == "io.tether.diagnostics")
            }
        }
        #expect(sawPluginLine, "output: \(output)")
    }
}
