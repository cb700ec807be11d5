import Foundation
import Logging
import PluginHost
import Testing
import TestSupport
import TetherCore
import TetherJSON

@Suite(.serialized) struct HostLifecycleTests {
    private func configuration(_ dataDir: String, commonName: String = "127.0.0.1") -> TetherConfiguration {
        var configuration = TetherConfiguration(dataDirectory: dataDir)
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.commonName = commonName
        configuration.logLevel = "critical"
        return configuration
    }

    private func quietLogger() -> Logger {
        var logger = Logger(label: "host-test")
        logger.logLevel = .critical
        return logger
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tether-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func certificateAuthorityPersistsSealedAndReissuesForANewCommonName() async throws {
        let dir = try temporaryDirectory()
        let first = TetherHost(configuration: configuration(dir), logger: quietLogger())
        try await first.start([.store])
        let before = try await first.bus.run("cert.show")
        await first.stop()
        #expect(before["serverCommonName"] == "127.0.0.1")

        // Same name: the same certificates are loaded, not regenerated.
        let again = TetherHost(configuration: configuration(dir), logger: quietLogger())
        try await again.start([.store])
        #expect(try await again.bus.run("cert.show") == before)
        await again.stop()

        // New name: the server certificate is re-issued from the same root, nothing deleted by hand.
        let renamed = TetherHost(configuration: configuration(dir, commonName: "mps.example.com"), logger: quietLogger())
        try await renamed.start([.store])
        let after = try await renamed.bus.run("cert.show")
        await renamed.stop()
        #expect(after["serverCommonName"] == "mps.example.com")
        #expect(after["rootFingerprintSHA256"] == before["rootFingerprintSHA256"])
        #expect(after["mpsRootCertificate"] == before["mpsRootCertificate"])

        // Private keys are sealed at rest: no PEM key material in the certs directory.
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/certs") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/certs/" + name))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("PRIVATE KEY"), "\(name) holds a plaintext key")
        }
    }

    @Test func corruptedSealedKeyIsAClearErrorAndNothingIsOverwritten() async throws {
        let dir = try temporaryDirectory()
        let host = TetherHost(configuration: configuration(dir), logger: quietLogger())
        try await host.start([.store])
        await host.stop()
        let keyFile = URL(fileURLWithPath: dir + "/certs/server.key.sealed")
        try Data("garbage".utf8).write(to: keyFile)
        let broken = TetherHost(configuration: configuration(dir), logger: quietLogger())
        let error = await #expect(throws: ConfigurationError.self) { try await broken.start([.store]) }
        #expect(error?.description.contains("cannot open the store") == true || error?.description.contains("certificate") == true)
        #expect(try Data(contentsOf: keyFile) == Data("garbage".utf8))
    }

    @Test func cliReachesTheRunningHostThroughTheControlSocket() async throws {
        let dir = try temporaryDirectory()
        let host = TetherHost(configuration: configuration(dir), logger: quietLogger())
        try await host.start(.all)
        let result = try await ChildProcess.run(
            PluginSearchPath.executableDirectory + "/tether", ["command", "cira.stats", "--data-dir", dir])
        let data = Data(result.stdout.utf8)
        let stats = try JSONValue(parsing: Array(data))
        // Only the running host has a CIRA server; a local fallback instance would say false.
        #expect(stats["running"] == true)
        #expect(stats["port"]?.intValue == host.ciraPort)
        await host.stop()
        #expect(!FileManager.default.fileExists(atPath: dir + "/tether.sock"))
    }
}
