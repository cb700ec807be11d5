import Foundation
import TestSupport

/// Compiles C plugins with the system `cc` at test time (real `.so` files for real `dlopen`).
enum CPluginBuilder {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The frozen copy of the v1.0 header: test plugins are built against it, never the live one.
    static let frozenHeaderDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/abi-v1.0").path
    /// The frozen copy of the v1.1 header (deadlines and cancellation).
    static let frozenV11HeaderDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/abi-v1.1").path
    static let deadlinePluginSource = repositoryRoot.appendingPathComponent("Tests/Fixtures/c-plugins/deadline_plugin.c").path
    static let testPluginSource = repositoryRoot.appendingPathComponent("Tests/Fixtures/c-plugins/test_plugin.c").path

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tether-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Builds `test_plugin.c` with `defines` into `directory/name`.
    @discardableResult
    static func buildTestPlugin(into directory: String, name: String, defines: [String] = []) async throws -> String {
        let output = (directory as NSString).appendingPathComponent(name)
        try await run(
            "/usr/bin/cc",
            ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
             "-I", frozenHeaderDirectory] + defines.map { "-D" + $0 } + [testPluginSource, "-o", output, "-lpthread"])
        return output
    }

    /// Builds `deadline_plugin.c` (ABI 1.1) into `directory/name`.
    @discardableResult
    static func buildDeadlinePlugin(into directory: String, name: String = "deadlines.so") async throws -> String {
        try await buildV11Plugin(deadlinePluginSource, into: directory, name: name)
    }

    /// Builds a fixture plugin `source` against the frozen v1.1 header into `directory/name`.
    static func buildV11Plugin(_ source: String, into directory: String, name: String) async throws -> String {
        let output = (directory as NSString).appendingPathComponent(name)
        try await run(
            "/usr/bin/cc",
            ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
             "-I", frozenV11HeaderDirectory, source, "-o", output, "-lpthread"])
        return output
    }

    /// Runs a command, throwing with its output when it fails.
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil) async throws {
        try await ChildProcess.checked(executable, arguments, directory: directory)
    }
}
