import AMT
import AMTSimulator
import APF
import CIRA
import Foundation
import Logging
import NIOCore
import Synchronization
import TetherTLS
import WSMan

/// One certificate authority for the whole run (RSA generation is slow in debug builds).
let amtTestAuthority: CertificateAuthority = {
    do { return try CertificateAuthority.generate(commonName: "127.0.0.1") } catch { fatalError("CA generation failed: \(error)") }
}()

func silentLogger() -> Logger {
    var logger = Logger(label: "amt-test")
    logger.logLevel = .critical
    return logger
}

/// A device UUID whose GUID string is predictable and unique per test.
func amtTestUUID(_ n: Int) -> AMTUUID {
    AMTUUID(guidString: String(format: "abcdef00-0000-4000-8000-%012x", n))!
}

/// Accepts every device presenting `admin01` / `P@ssw0rd-device`.
struct AcceptingAuthenticator: CIRADeviceAuthenticator {
    func authenticate(_ request: CIRAAuthRequest) async -> CIRAAuthDecision {
        request.username == "admin01" && request.password == "P@ssw0rd-device" ? .accept : .reject(reason: "wrong credentials")
    }
}

/// A CIRA server on loopback plus helpers for devices and WS-Man clients.
struct AMTTestBed {
    let server: CIRAServer
    let port: Int

    static func start() async throws -> AMTTestBed {
        let tls = try TLSContext(
            configuration: .server(
                profile: .legacy, certificateChainPEM: amtTestAuthority.serverCertificateChainPEM,
                privateKeyPEM: amtTestAuthority.serverPrivateKeyPEM, requestClientCertificate: true))
        let server = CIRAServer(tls: tls, authenticator: AcceptingAuthenticator(), logger: silentLogger())
        let port = try await server.start(host: "127.0.0.1", port: 0)
        return AMTTestBed(server: server, port: port)
    }

    /// Starts a device and waits until its tunnel (with its forwarded ports) is up.
    func connect(
        _ uuid: AMTUUID, firmware: any DeviceFirmware, forwardedPorts: [UInt32]? = nil
    ) async throws -> SimulatedDevice {
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: port, username: "admin01", password: "P@ssw0rd-device")
        configuration.tls.trustedRootPEM = amtTestAuthority.rootCertificatePEM
        configuration.tls.commonName = "127.0.0.1"
        configuration.reconnect = false
        if let forwardedPorts { configuration.forwardedPorts = forwardedPorts }
        let device = try SimulatedDevice(configuration: configuration, firmware: firmware)
        device.start()
        _ = await device.waitUntilConnected()
        let expected = Set(configuration.forwardedPorts)
        let guid = uuid.guidString.lowercased()
        for _ in 0..<250 {
            if let session = server.session(for: guid), session.forwardedPorts == expected { return device }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("device \(guid) did not finish connecting")
    }

    func client(
        _ uuid: AMTUUID, password: String = "P@ssw0rd-amt", configure: (inout AMTClientConfiguration) -> Void = { _ in }
    ) -> AMTDeviceClient {
        var configuration = AMTClientConfiguration()
        // Generous, as in HostTestBed: the full suite starts ~100 suites at once on 2 cores; the
        // tests that wait for a timeout set their own short one.
        configuration.callTimeout = .seconds(30)
        configure(&configuration)
        let server = self.server
        return AMTDeviceClient(
            guid: uuid.guidString, configuration: configuration, sessions: { server.session(for: $0) },
            password: { _ in password }, logger: silentLogger())
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Firmware that answers every HTTP request on 16992 with fixed bytes (no auth), counting
/// channel opens; other ports are refused.
final class CannedFirmware: DeviceFirmware {
    let reply: @Sendable (Int, HTTPRequestMessage) -> [UInt8]?
    let opens = Mutex(0)
    let requests = Mutex(0)
    /// Close the channel after each reply (as AMT does when it drops an idle connection).
    let closeAfterReply: Bool

    /// `reply(n)` gives the bytes for the n-th request (1-based); nil never answers.
    init(closeAfterReply: Bool = false, reply: @escaping @Sendable (Int, HTTPRequestMessage) -> [UInt8]?) {
        self.closeAfterReply = closeAfterReply
        self.reply = reply
    }

    func connect(port: UInt32) -> Result<any FirmwareConnection, ChannelRefusal> {
        guard port == 16992 else { return .failure(ChannelRefusal(.connectFailed)) }
        opens.withLock { $0 += 1 }
        return .success(CannedConnection(firmware: self))
    }
}

final class CannedConnection: FirmwareConnection {
    private let firmware: CannedFirmware
    private var output: FirmwareOutput?
    private var parser = HTTPRequestParser()

    init(firmware: CannedFirmware) { self.firmware = firmware }

    func start(output: FirmwareOutput) { self.output = output }

    func received(_ bytes: [UInt8]) {
        parser.append(bytes)
        while let request = try? parser.nextRequest() {
            let n = firmware.requests.withLock { count -> Int in
                count += 1
                return count
            }
            if let bytes = firmware.reply(n, request) { output?.send(bytes) }
            if firmware.closeAfterReply { output?.close() }
        }
    }

    func closed() { output = nil }
}

/// A well-formed AMT-style reply to a Get of `AMT_GeneralSettings`.
func generalSettingsReply(hostName: String = "sim-host") -> [UInt8] {
    var instance = WSManInstance(className: "AMT_GeneralSettings")
    instance["HostName"] = .text(hostName)
    instance["DigestRealm"] = .text("Digest:00000000000000000000000000000000")
    let xml = WSManReplyBuilder.instance(
        instance, resource: .amtGeneralSettings, requestAction: WSManAction.get, relatesTo: "0",
        messageID: "uuid:00000000-8086-8086-8086-000000000001")
    return HTTPResponseMessage(status: 200, body: Array(xml.utf8)).encode(chunkSize: 64)
}

/// Raw HTTP response bytes.
func rawHTTP(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A 200 response with `body` and a matching Content-Length.
func httpWithBody(_ body: String) -> [UInt8] {
    HTTPResponseMessage(status: 200, body: Array(body.utf8)).encode()
}
