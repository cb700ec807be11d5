import Foundation
import Testing
import TetherCore
import TetherJSON

@Suite struct ConfigurationTests {
    private func writeConfig(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tether-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func fileThenEnvironmentPrecedence() throws {
        let path = try writeConfig(
            #"{"dataDir":"/from/file","logLevel":"debug","pluginTimeoutSeconds":2.5,"plugins":{"a.b.c":{"enabled":false,"config":{"k":1}}}}"#)
        var configuration = TetherConfiguration(dataDirectory: "/default")
        try configuration.apply(file: path)
        #expect(configuration.dataDirectory == "/from/file")
        #expect(configuration.pluginTimeout == .milliseconds(2500))
        #expect(configuration.disabledPlugins == ["a.b.c"])
        #expect(configuration.pluginConfigs["a.b.c"]?["k"] == 1)
        try configuration.apply(environment: [
            "TETHER_DATA_DIR": "/from/env", "TETHER_PLUGINS": "/p1:/p2", "TETHER_DISABLED_PLUGINS": "x.y.z, q.r.s",
        ])
        #expect(configuration.dataDirectory == "/from/env")
        #expect(configuration.pluginDirectories == ["/p1", "/p2"])
        #expect(configuration.disabledPlugins == ["x.y.z", "q.r.s"])
        #expect(configuration.logLevel == "debug")
    }

    @Test(arguments: [
        (#"{"dataDir": 3}"#, "'dataDir' must be"),
        (#"{"noSuchKey": true}"#, "unknown setting 'noSuchKey'"),
        (#"{"pluginTimeoutSeconds": -1}"#, "'pluginTimeoutSeconds' must be"),
        (#"{"logLevel": "loud"}"#, "'logLevel' must be"),
        (#"{"plugins": {"a.b": {"config": 5}}}"#, "plugins.a.b.config must be an object"),
        (#"[1, 2"#, "invalid JSON"),
        (#"{"ciraPort": 70000}"#, "'ciraPort' must be"),
        (#"{"commonName": ""}"#, "'commonName' must be"),
        (#"{"keepAliveIntervalSeconds": 0}"#, "'keepAliveIntervalSeconds' must be"),
    ])
    func badConfigFilesAreRefusedWithTheKey(text: String, expected: String) throws {
        let path = try writeConfig(text)
        var configuration = TetherConfiguration()
        let error = #expect(throws: ConfigurationError.self) { try configuration.apply(file: path) }
        #expect(error?.description.contains(expected) == true, "got: \(error?.description ?? "nil")")
    }

    /// Every source accepts what the command line accepts: port 0 is "any free port".
    @Test func portZeroMeansAnyFreePortInEverySource() throws {
        var configuration = TetherConfiguration()
        try configuration.apply(file: try writeConfig(#"{"ciraPort": 0, "httpPort": 0}"#))
        #expect(configuration.ciraPort == 0 && configuration.httpPort == 0)
        configuration.ciraPort = 4433
        try configuration.apply(environment: ["TETHER_CIRA_PORT": "0"])
        #expect(configuration.ciraPort == 0)
        let error = #expect(throws: ConfigurationError.self) {
            try configuration.apply(environment: ["TETHER_CIRA_PORT": "-1"])
        }
        #expect(error?.description.contains("'ciraPort' must be a port number 0–65535") == true)
    }

    @Test func badEnvironmentValueIsRefused() {
        var configuration = TetherConfiguration()
        let error = #expect(throws: ConfigurationError.self) {
            try configuration.apply(environment: ["TETHER_PLUGIN_TIMEOUT": "soon"])
        }
        #expect(error?.description.contains("TETHER_PLUGIN_TIMEOUT") == true)
    }

    @Test func idleTimeoutMustCoverThreeKeepAlives() throws {
        var configuration = TetherConfiguration()
        try configuration.apply(environment: ["TETHER_KEEPALIVE_INTERVAL": "30", "TETHER_IDLE_TIMEOUT": "60"])
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.description.contains("at least 3 × keepAliveIntervalSeconds") == true)
        try configuration.apply(environment: ["TETHER_IDLE_TIMEOUT": "90"])
        try configuration.validate()
        #expect(configuration.idleTimeout == .seconds(90))
    }
}
