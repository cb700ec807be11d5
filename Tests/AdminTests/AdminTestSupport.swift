import Foundation
import TestSupport
import Logging
import PluginHost
import Store
import Synchronization
import Testing
import TetherCore
import TetherJSON

/// A started host over a fresh data directory (store + CIRA on 127.0.0.1, any port), with the
/// bundled plugins from the build directory and its log captured.
struct AdminTestHost {
    let host: TetherHost
    let dataDirectory: String
    let log: CapturedLog

    static func start(
        disabled: Set<String> = [], pluginDirectories: [String] = [], security: SecuritySettings = SecuritySettings()
    ) async throws -> AdminTestHost {
        let directory = try temporaryDirectory()
        var configuration = TetherConfiguration(
            dataDirectory: directory, pluginDirectories: pluginDirectories, disabledPlugins: disabled, logLevel: "trace")
        configuration.ciraPort = 0
        configuration.ciraBind = "127.0.0.1"
        configuration.commonName = "127.0.0.1"
        configuration.instanceName = "admin-test"
        configuration.security = security
        let log = CapturedLog()
        var logger = Logger(label: "admin-test") { _ in CapturingLogHandler(sink: log) }
        logger.logLevel = .trace
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .cira])
        return AdminTestHost(host: host, dataDirectory: directory, log: log)
    }

    /// Runs a command; fails the test with the command's error when it fails.
    @discardableResult
    func run(_ name: String, _ args: JSONValue = [:]) async throws -> JSONValue {
        try await host.bus.run(name, args: args)
    }

    /// Runs a command that must fail, returning its error.
    func failure(_ name: String, _ args: JSONValue) async -> CommandError? {
        do {
            let result = try await host.bus.run(name, args: args)
            Issue.record("\(name) unexpectedly succeeded: \(result.jsonString)")
            return nil
        } catch {
            return error
        }
    }

    func stop() async { await host.stop() }
}

extension CommandError {
    /// The field messages of a validation error's `detail` array.
    var fieldMessages: [String] {
        detail?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []
    }

    /// `(field, message)` pairs of a validation error.
    var fields: [String] {
        detail?.arrayValue?.compactMap { item in
            guard let field = item["field"]?.stringValue, let message = item["message"]?.stringValue else { return nil }
            return "\(field): \(message)"
        } ?? []
    }
}

func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tether-admin-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// The repository root (for examples/ and the ABI header).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a tool, throwing with its output when it fails.
@discardableResult
func runTool(_ executable: String, _ arguments: [String], directory: String? = nil) async throws -> String {
    try await ChildProcess.checked(executable, arguments, directory: directory)
}


/// A CIRA config body like RPS's Postman "Create CIRA Config" (with a real root certificate).
func ciraBody(_ name: String, _ changes: [String: JSONValue] = [:]) -> JSONValue {
    var body: [String: JSONValue] = [
        "configName": .string(name), "mpsServerAddress": "192.168.8.50", "mpsPort": 4433, "username": "admin",
        "commonName": "192.168.8.50", "serverAddressFormat": 3, "authMethod": 2, "proxyDetails": "",
    ]
    for (key, value) in changes { body[key] = value == .null ? nil : value }
    return .object(body)
}
