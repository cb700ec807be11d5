import Foundation
import Testing
import Logging
import PluginHost
import TetherJSON
@testable import TetherCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let adminPassword = "Test-Admin-P@ss"

/// A real host (store, CIRA on a free port, HTTP on a free port, bundled plugins) in a
/// temporary data directory.
struct RESTTestHost: Sendable {
    let host: TetherHost
    let base: URL
    let dataDirectory: String

    static func start(
        maxBodyBytes: Int? = nil, logger recording: Logger? = nil, configure: (inout TetherConfiguration) -> Void = { _ in }
    ) async throws -> RESTTestHost {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-rest-\(UUID().uuidString)").path
        var configuration = TetherConfiguration(dataDirectory: directory)
        configuration.adminUser = "admin"
        configuration.adminPassword = adminPassword
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.commonName = "127.0.0.1"
        configuration.instanceName = "rest-test"
        if let maxBodyBytes { configuration.httpMaxBodyBytes = maxBodyBytes }
        configure(&configuration)
        var logger = Logger(label: "rest-test")
        logger.logLevel = .critical
        if let recording { logger = recording }
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .cira, .http])
        let port = try #require(host.httpPort)
        return RESTTestHost(host: host, base: URL(string: "http://127.0.0.1:\(port)")!, dataDirectory: directory)
    }

    func stop() async {
        await host.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

/// One shared host for the tests that do not need their own (CA generation is slow in debug).
let sharedHost = Task { try await RESTTestHost.start() }

/// A response as the tests see it.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var json: JSONValue? { try? JSONValue(parsing: Array(body)) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A plain HTTP/1.1 client over URLSession, with a generous connection pool.
let client: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = 32
    configuration.timeoutIntervalForRequest = 60
    return URLSession(configuration: configuration)
}()

extension RESTTestHost {
    /// Sends a request; `path` may contain a raw (already encoded) query and odd encodings.
    func request(
        _ method: String, _ path: String, json: JSONValue? = nil, body: Data? = nil, token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        let url = try #require(URL(string: base.absoluteString + path), "bad URL \(path)")
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.encodedBytes())
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await client.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    /// Logs in as the administrator and returns the token.
    func token() async throws -> String {
        let reply = try await request("POST", "/api/v1/authorize", json: ["username": "admin", "password": .string(adminPassword)])
        return try #require(reply.json?["token"]?.stringValue, "authorize failed: \(reply.status) \(reply.text)")
    }
}

/// Waits until `condition` holds, at most `timeout`.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
