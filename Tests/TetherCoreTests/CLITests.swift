import Foundation
import PluginHost
import Testing
import TetherJSON

/// Runs the real `tether` executable built next to the test bundle.
@Suite struct CLITests {
    static var tetherPath: String { PluginSearchPath.executableDirectory + "/tether" }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.tetherPath)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tether-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func versionNamesHostAndABI() throws {
        let result = try run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(TetherHostVersion.current))
        #expect(result.stdout.contains("ABI \(TetherHostVersion.abiText)"))
    }

    @Test func pluginsListShowsBundledAndRefusedPlugins() throws {
        let dir = try temporaryDirectory()
        try Data("junk".utf8).write(to: URL(fileURLWithPath: dir + "/libbroken.so"))
        let result = try run(["plugins", "list", "--json", "--plugins", dir, "--data-dir", dir + "/data"])
        #expect(result.status == 0)
        let json = try JSONValue(parsing: result.stdout)
        let plugins = json["plugins"]?.arrayValue ?? []
        let diagnostics = plugins.first { $0["id"] == "io.tether.diagnostics" }
        #expect(diagnostics?["status"] == "loaded")
        #expect(diagnostics?["abi"] == "1.0")
        #expect(diagnostics?["contributions"]?["tether.commands/1"] != nil)
        let broken = plugins.first { $0["path"]?.stringValue?.hasSuffix("libbroken.so") == true }
        #expect(broken?["status"] == "failed")
        #expect(broken?["reason"]?.stringValue?.contains("not a loadable library") == true)
        // The refusal is logged once, naming the file.
        #expect(result.stderr.contains("plugin refused"))
    }

    @Test func commandRunsAPluginCommand() throws {
        let dir = try temporaryDirectory()
        let result = try run(["command", "diagnostics.summary", "--data-dir", dir])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect((json["commandCount"]?.intValue ?? 0) >= 4)
        let bad = try run(["command", "no.such", "--data-dir", dir])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown command 'no.such'"))
    }

    @Test func serveStopsGracefullyOnSIGTERM() async throws {
        let dir = try temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.tetherPath)
        process.arguments = ["serve", "--data-dir", dir + "/data", "--cira-port", "0", "--http-port", "0", "--common-name", "127.0.0.1"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var log = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while !log.contains("host started") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            log += String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(log.contains("host started"))
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        log += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("shutting down"))
        #expect(log.contains("host stopped"))
        #expect(FileManager.default.fileExists(atPath: dir + "/data"))
    }
}
