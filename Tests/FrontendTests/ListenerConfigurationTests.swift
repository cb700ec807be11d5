import Foundation
import Logging
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

@Suite struct ListenerConfigurationTests {
    @Test func mountsComeFromManifestsOrConfiguration() throws {
        let contributions: [(pluginID: String, manifest: JSONValue)] = [
            ("io.tether.frontend-rest", ["name": "rest", "mount": "/api/v1/"]), ("com.example.web", ["name": "web", "mount": "/ui"]),
        ]
        let defaults = try FrontendMount.resolve(contributions: contributions, configured: [])
        #expect(defaults.map(\.prefix) == ["/api/v1", "/ui"])
        let configured = try FrontendMount.resolve(contributions: contributions, configured: ["rest:/mps/api/v1"])
        #expect(configured == [FrontendMount(name: "rest", pluginID: "io.tether.frontend-rest", prefix: "/mps/api/v1")])
        #expect(configured[0].contains(path: "/MPS/api/v1/devices"))
        #expect(!configured[0].contains(path: "/mps/api/v10"))
        #expect(throws: ConfigurationError.self) { try FrontendMount.resolve(contributions: contributions, configured: ["nope:/x"]) }
        #expect(throws: ConfigurationError.self) { try FrontendMount.resolve(contributions: contributions, configured: ["rest:/a", "web:/A"]) }
        #expect(throws: ConfigurationError.self) { try FrontendMount.resolve(contributions: contributions, configured: ["rest:/metrics"]) }
        #expect(FrontendMount.parse("rest:/../x") == nil)
    }

    @Test func configurationKeysAreChecked() throws {
        var configuration = TetherConfiguration()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID()).json")
        try Data(#"{"httpPort": 9000, "httpBind": "0.0.0.0", "httpsPort": 9443, "frontends": ["rest:/api/v1"]}"#.utf8).write(to: file)
        try configuration.apply(file: file.path)
        #expect(configuration.httpPort == 9000 && configuration.httpsPort == 9443 && configuration.httpBind == "0.0.0.0")
        #expect(configuration.frontends == ["rest:/api/v1"])
        try Data(#"{"frontends": ["rest"]}"#.utf8).write(to: file)
        #expect(throws: ConfigurationError.self) { try configuration.apply(file: file.path) }
        try configuration.apply(environment: ["TETHER_HTTP_PORT": "8282"])
        #expect(configuration.httpPort == 8282)
    }

    /// HTTPS with the host's server certificate, checked by curl against the host's root CA;
    /// TLS 1.1 is refused (the `.modern` profile).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func httpsServesWithTheHostCertificateAndTLS12Plus() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-https-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = TetherConfiguration(dataDirectory: directory, loadBundledPlugins: true)
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.httpsPort = 0
        configuration.commonName = "127.0.0.1"
        var logger = Logger(label: "https-test")
        logger.logLevel = .critical
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .http])
        defer { Task { await host.stop() } }
        let port = try #require(host.httpsPort)
        let root = directory + "/root.pem"
        try #require(host.certificateAuthority?.rootCertificatePEM).write(toFile: root, atomically: true, encoding: .utf8)
        let ok = try await curl(["-s", "--cacert", root, "https://127.0.0.1:\(port)/api/v1/version"])
        #expect(ok.status == 0)
        #expect(ok.output.contains("serviceVersion"))
        let old = try await curl(["-s", "--cacert", root, "--tls-max", "1.1", "https://127.0.0.1:\(port)/api/v1/version"])
        #expect(old.status != 0)
    }

    private func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run("/usr/bin/curl", ["--max-time", "20"] + arguments)
        return (result.status, result.stdout)
    }
}
