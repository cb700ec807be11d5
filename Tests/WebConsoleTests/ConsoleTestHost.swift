import AMTSimulator
import APF
import Foundation
import Logging
import Testing
import TetherJSON
@testable import TetherCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let consoleAdminPassword = "Console-Adm1n!"

/// A real host (store, CIRA and HTTP on free loopback ports, the bundled plugins) in a
/// temporary data directory, with the front ends `frontends` (empty: every manifest mount).
struct ConsoleTestHost: Sendable {
    let host: TetherHost
    let base: String
    let dataDirectory: String

    static func start(frontends: [String] = [], amtCallTimeout: Duration? = nil) async throws -> ConsoleTestHost {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-console-\(UUID().uuidString)").path
        var configuration = TetherConfiguration(dataDirectory: directory)
        configuration.adminUser = "admin"
        configuration.adminPassword = consoleAdminPassword
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.commonName = "127.0.0.1"
        configuration.instanceName = "console-test"
        configuration.frontends = frontends
        if let amtCallTimeout { configuration.amtCallTimeout = amtCallTimeout }
        var logger = Logger(label: "console-test")
        logger.logLevel = .critical
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .cira, .http])
        let port = try #require(host.httpPort)
        return ConsoleTestHost(host: host, base: "http://127.0.0.1:\(port)", dataDirectory: directory)
    }

    func stop() async {
        await host.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// A token the host signed for the administrator that expired an hour ago.
    func expiredToken() throws -> String {
        let secret = try TetherHost.tokenSecret(in: URL(fileURLWithPath: dataDirectory))
        return WebTokenSigner(secret: secret).issue(subject: "admin", lifetime: .seconds(60), now: Date().addingTimeInterval(-3600))
    }

    /// A simulated AMT device (real firmware model) for this host's CIRA port.
    func simulatedDevice(number: Int, username: String, password: String, amtPassword: String) throws -> (guid: String, firmware: AMTFirmware, device: SimulatedDevice) {
        let uuid = try #require(AMTUUID(guidString: String(format: "c0501e00-0000-4000-8000-%012x", number)))
        let firmware = AMTFirmware(configuration: AMTFirmwareConfiguration(uuid: uuid, password: amtPassword))
        var configuration = SimulatedDeviceConfiguration(
            uuid: uuid, serverHost: "127.0.0.1", serverPort: try #require(host.ciraPort), username: username, password: password)
        configuration.tls.trustedRootPEM = try #require(host.certificateAuthority?.rootCertificatePEM)
        configuration.tls.commonName = "127.0.0.1"
        let device = try SimulatedDevice(configuration: configuration, firmware: firmware)
        return (uuid.guidString.lowercased(), firmware, device)
    }

    /// A plain HTTP request (no browser).
    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> ConsoleHTTPResult {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await consoleHTTPClient.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return ConsoleHTTPResult(status: http.statusCode, headers: fields, body: data)
    }
}

struct ConsoleHTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var json: JSONValue? { try? JSONValue(parsing: Array(body)) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// No redirects followed, no cookie store: the tests read Set-Cookie and Location themselves.
let consoleHTTPClient: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.timeoutIntervalForRequest = 60
    return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
}()

final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// Where a test's screenshots go: `.build/console-screenshots/<test>/` under the package.
func screenshotDirectory(_ test: String) throws -> URL {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .appendingPathComponent(".build/console-screenshots/\(test)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    print("console screenshots: \(root.path)")
    return root
}
