import AMTSimulator
import APF
import CIRA
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import TetherTLS

/// One certificate authority for the whole test run (RSA generation is slow in debug builds).
let testAuthority: CertificateAuthority = {
    do { return try CertificateAuthority.generate(commonName: "127.0.0.1") } catch { fatalError("CA generation failed: \(error)") }
}()

func quietLogger() -> Logger {
    var logger = Logger(label: "cira-test")
    logger.logLevel = .critical
    return logger
}

/// Accepts devices whose (guid, username, password) are in the table.
struct TableAuthenticator: CIRADeviceAuthenticator {
    var accounts: [String: (username: String, password: String)]

    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        guard let account = accounts[request.guid] else { return .reject(reason: "unknown device \(request.guid)") }
        guard account.username == request.username, account.password == request.password else {
            return .reject(reason: "wrong credentials")
        }
        return .accept
    }
}

/// Records session events.
final class RecordingObserver: CIRASessionObserver {
    let events = Mutex<[String]>([])
    func sessionConnected(_ session: CIRADeviceSession) { events.withLock { $0.append("connected \(session.guid)") } }
    func sessionDisconnected(_ session: CIRADeviceSession, reason: String) {
        events.withLock { $0.append("disconnected \(session.guid) \(reason)") }
    }
    func sessionSeen(_ session: CIRADeviceSession) { events.withLock { $0.append("seen \(session.guid)") } }
}

/// Firmware that echoes every byte on every port it accepts.
struct EchoFirmware: DeviceFirmware {
    func connect(port: UInt32) -> Result<any FirmwareConnection, ChannelRefusal> {
        .success(EchoConnection())
    }
}

final class EchoConnection: FirmwareConnection {
    private var output: FirmwareOutput?
    func start(output: FirmwareOutput) { self.output = output }
    func received(_ bytes: [UInt8]) { output?.send(bytes) }
    func closed() { output = nil }
}

/// A running server plus helpers to make devices for it.
struct CIRATestBed {
    let server: CIRAServer
    let port: Int
    let observer: RecordingObserver

    static func start(
        settings: CIRASettings = CIRASettings(), accounts: [String: (String, String)] = [:], logger: Logger = quietLogger()
    ) async throws -> CIRATestBed {
        var table: [String: (username: String, password: String)] = [:]
        for (guid, account) in accounts { table[guid] = (account.0, account.1) }
        let tls = try TLSContext(
            configuration: .server(
                profile: .legacy, certificateChainPEM: testAuthority.serverCertificateChainPEM,
                privateKeyPEM: testAuthority.serverPrivateKeyPEM, requestClientCertificate: true))
        let observer = RecordingObserver()
        let server = CIRAServer(
            settings: settings, tls: tls, authenticator: TableAuthenticator(accounts: table), observer: observer,
            logger: logger)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        return CIRATestBed(server: server, port: port, observer: observer)
    }

    func device(
        uuid: AMTUUID, username: String = "admin01", password: String = "P@ssw0rd-device", reconnect: Bool = false,
        faults: DeviceFaults = DeviceFaults(), firmware: any DeviceFirmware = EchoFirmware()
    ) throws -> SimulatedDevice {
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: port, username: username, password: password)
        configuration.tls.trustedRootPEM = testAuthority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configuration.reconnect = reconnect
        configuration.faults = faults
        return try SimulatedDevice(configuration: configuration, firmware: firmware)
    }
}

/// A device UUID whose GUID string is predictable.
func testUUID(_ n: Int) -> AMTUUID {
    AMTUUID(guidString: String(format: "12345678-0000-4000-8000-%012x", n))!
}

/// Waits until `condition` holds, at most `timeout`.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
