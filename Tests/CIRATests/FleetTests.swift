import AMTSimulator
import APF
import CIRA
import Foundation
import Testing
import TetherTLS

/// Accepts any device presenting the fleet's shared credentials.
struct SharedCredentialsAuthenticator: CIRADeviceAuthenticator {
    var username: String
    var password: String
    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        request.username == username && request.password == password ? .accept : .reject(reason: "wrong credentials")
    }
}

/// A CIRA server on a free loopback port that accepts every device with these credentials.
func sharedCredentialsServer(username: String, password: String) async throws -> (server: CIRAServer, port: Int) {
    let tls = try TLSContext(
        configuration: .server(
            profile: .legacy, certificateChainPEM: testAuthority.serverCertificateChainPEM,
            privateKeyPEM: testAuthority.serverPrivateKeyPEM))
    let server = CIRAServer(
        tls: tls, authenticator: SharedCredentialsAuthenticator(username: username, password: password), logger: quietLogger())
    return (server, try await server.start(host: "127.0.0.1", port: 0))
}

@Suite(.serialized) struct FleetTests {
    @Test func thousandDevicesConnectOverLoopback() async throws {
        FileDescriptorLimit.raiseToMaximum()
        let (server, port) = try await sharedCredentialsServer(username: "fleet", password: "fleet-password")
        var configuration = FleetConfiguration(
            count: 1000, serverHost: "127.0.0.1", serverPort: port, username: "fleet", password: "fleet-password")
        configuration.rampPerSecond = 0
        configuration.seed = 42
        configuration.tls.trustedRootPEM = testAuthority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        let fleet = try SimulatedFleet(configuration: configuration)
        #expect(Set(fleet.devices.map(\.configuration.uuid)).count == 1000, "UUIDs must be distinct")
        await fleet.start()
        let allConnected = await fleet.waitForConnected(1000, timeout: .seconds(180))
        #expect(allConnected, "progress: \(fleet.progress)")
        #expect(await eventually(timeout: .seconds(30)) { server.sessions.count == 1000 })
        await fleet.stop()
        #expect(await eventually(timeout: .seconds(30)) { server.sessions.count == 0 })
        await server.stop()
    }

    @Test func seedGivesStableDistinctUUIDs() throws {
        let a = try SimulatedFleet(configuration: FleetConfiguration(count: 5, serverHost: "127.0.0.1", serverPort: 1, username: "u", password: "p"))
        let b = try SimulatedFleet(configuration: FleetConfiguration(count: 5, serverHost: "127.0.0.1", serverPort: 1, username: "u", password: "p"))
        #expect(a.devices.map(\.configuration.uuid) == b.devices.map(\.configuration.uuid))
        var other = FleetConfiguration(count: 5, serverHost: "127.0.0.1", serverPort: 1, username: "u", password: "p")
        other.seed = 2
        let c = try SimulatedFleet(configuration: other)
        #expect(Set(c.devices.map(\.configuration.uuid)).isDisjoint(with: a.devices.map(\.configuration.uuid)))
    }

    @Test func sourceAddressRangesParse() throws {
        #expect(try SourceAddressRange.parse("127.0.0.2-127.0.0.4") == ["127.0.0.2", "127.0.0.3", "127.0.0.4"])
        #expect(try SourceAddressRange.parse("127.0.0.9,127.0.1.1") == ["127.0.0.9", "127.0.1.1"])
        #expect(throws: SourceAddressRange.ParseError.self) { try SourceAddressRange.parse("127.0.0.9-127.0.0.2") }
        #expect(throws: SourceAddressRange.ParseError.self) { try SourceAddressRange.parse("nonsense") }
    }
}
