import AMTSimulator
import CIRA
import Foundation
import Testing
import TestSupport
import TetherTLS

/// The `amtsim` executable itself, run as a user would.
@Suite(.serialized) struct AMTSimCLITests {
    static var amtsim: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent + "/amtsim"
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await ChildProcess.run(Self.amtsim, arguments)
        return (result.status, result.stdout, result.stderr)
    }

    /// The test CA's root certificate in a PEM file, for `--root-cert`.
    static func rootCertificateFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("amtsim-root-\(UUID().uuidString).pem")
        try testAuthority.rootCertificatePEM.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func printGuidsMatchesTheFleetSeed() async throws {
        let result = try await run(["--print-guids", "--devices", "3", "--seed", "7"])
        #expect(result.status == 0)
        let expected = (0..<3).map { SimulatedFleet.uuid(seed: 7, index: $0).guidString }
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
    }

    @Test func fleetRunConnectsAndPrintsASummary() async throws {
        let (server, port) = try await sharedCredentialsServer(username: "clitest", password: "cli-password")
        let rootFile = try Self.rootCertificateFile()
        let result = try await run([
            "--server", "127.0.0.1:\(port)", "--devices", "3", "--username", "clitest", "--password", "cli-password",
            "--root-cert", rootFile.path, "--common-name", "127.0.0.1", "--ramp", "0", "--duration", "60", "--until-connected",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(summary?["connected"] as? Int == 3)
        #expect(summary?["handshakes"] as? Int == 3)
        #expect(summary?["stoppedBy"] as? String == "connected")
        await server.stop()
    }

    @Test func wrongCommonNameFailsWithAClearReason() async throws {
        let (server, port) = try await sharedCredentialsServer(username: "clitest", password: "cli-password")
        let rootFile = try Self.rootCertificateFile()
        let result = try await run([
            "--server", "127.0.0.1:\(port)", "--username", "clitest", "--password", "cli-password",
            "--root-cert", rootFile.path, "--common-name", "mps.example.com", "--no-reconnect", "--duration", "60",
        ])
        // The summary names what did not match: the expected and the presented name.
        #expect(result.stdout.contains("mps.example.com"), "summary: \(result.stdout)")
        #expect(result.stdout.contains("127.0.0.1"))
        // With --no-reconnect it stops once the one device has failed, well before --duration.
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(summary?["stoppedBy"] as? String == "failed")
        #expect(server.sessions.count == 0)
        await server.stop()
    }

    @Test func missingCredentialsAreAUsageError() async throws {
        let result = try await run(["--devices", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--username and --password"))
    }
}
