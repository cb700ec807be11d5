import Foundation
import TetherJSON

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real product as a child process: `tether serve` (the binary next to this one) on a
/// temporary data directory with SQLite, the bundled plugins and the REST front end, set up
/// through its REST API the way an administrator would (a CIRA config that lets devices
/// register themselves, a CCM profile with a static AMT password they inherit).
final class ProductHost {
    static let adminPassword = "Bench-Admin-P@ss1"
    static let ciraUser = "standalone"
    static let ciraPassword = "G@ppm0ym"
    static let amtPassword = "Bench-P@ssw0rd1"

    let ciraPort: Int
    let httpPort: Int
    let dataDirectory: URL
    private let process = Process()
    private(set) var token = ""

    var pid: Int32 { process.processIdentifier }

    /// Starts `tether serve` and waits until its REST API answers (at most 60 s).
    init(extraEnvironment: [String: String] = [:]) async throws {
        ciraPort = try FreePort.find()
        httpPort = try FreePort.find()
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-bench-\(getpid())")
        try? FileManager.default.removeItem(at: dataDirectory)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let tether = (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/tether"
        // The self-registration quota and rate limit (security defaults: 1,000 devices, 30 a
        // minute) would stop a capacity ramp; a fleet operator raises them the same way.
        let config = dataDirectory.appendingPathComponent("bench.json")
        try Data(#"{"selfRegistrationQuota": 10000000, "selfRegistrationsPerMinute": 1000000, "httpMaxConnections": 4096}"#.utf8)
            .write(to: config)
        process.executableURL = URL(fileURLWithPath: tether)
        process.arguments = [
            "serve", "--config", config.path, "--data-dir", dataDirectory.path, "--cira-port", "\(ciraPort)", "--cira-bind", "127.0.0.1",
            "--http-port", "\(httpPort)", "--common-name", "127.0.0.1", "--log-level", "warning",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TETHER_ADMIN_PASSWORD"] = Self.adminPassword
        for (key, value) in extraEnvironment { environment[key] = value }
        process.environment = environment
        let log = dataDirectory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        do {
            // A host that never answers, or refuses the login, is stopped here: the caller's
            // `stop()` runs only for a host that started.
            let deadline = ContinuousClock.now + .seconds(60)
            var healthy = false
            while !healthy && ContinuousClock.now < deadline {
                guard process.isRunning else { throw BenchError("tether serve exited; see \(log.path)") }
                if let reply = try? await request("GET", "/api/v1/health"), reply.status == 200 { healthy = true; break }
                try await Task.sleep(for: .milliseconds(200))
            }
            guard healthy else { throw BenchError("tether serve did not answer GET /api/v1/health within 60 s; see \(log.path)") }
            let login = try await request("POST", "/api/v1/authorize", json: ["username": "admin", "password": .string(Self.adminPassword)])
            guard let token = login.json?["token"]?.stringValue else { throw BenchError("login failed: \(login.status) \(login.text)") }
            self.token = token
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        note("tether serve (pid \(pid)) on CIRA \(ciraPort), HTTP \(httpPort), data \(dataDirectory.path)")
    }

    /// Creates the CIRA config and profile that let `devices` simulated devices register themselves.
    func prepareSelfRegistration() async throws {
        let config = try await request("POST", "/api/v1/admin/ciraconfigs", json: [
            "configName": "bench", "mpsServerAddress": "127.0.0.1", "mpsPort": 4433,  // what activation would write; the bench dials `ciraPort` directly
            "username": .string(Self.ciraUser), "password": .string(Self.ciraPassword), "commonName": "127.0.0.1",
            "serverAddressFormat": 3, "authMethod": 2, "proxyDetails": "", "allowSelfRegistration": true,
        ])
        guard config.status == 201 else { throw BenchError("CIRA config: \(config.status) \(config.text)") }
        let profile = try await request("POST", "/api/v1/admin/profiles", json: [
            "profileName": "bench", "activation": "ccmactivate", "generateRandomPassword": false,
            "amtPassword": .string(Self.amtPassword), "generateRandomMEBxPassword": false, "ciraConfigName": "bench",
            "dhcpEnabled": true, "tags": ["bench"], "userConsent": "All", "iderEnabled": false, "kvmEnabled": true,
            "solEnabled": false,
        ])
        guard profile.status == 201 else { throw BenchError("profile: \(profile.status) \(profile.text)") }
    }

    /// The number of devices the host reports connected.
    func connectedCount() async throws -> Int {
        let stats = try await request("GET", "/api/v1/devices/stats")
        return stats.json?["connectedCount"]?.intValue ?? 0
    }

    /// The GUIDs of connected devices (at most `limit`).
    func connectedGUIDs(limit: Int) async throws -> [String] {
        let reply = try await request("GET", "/api/v1/devices?status=1&$top=\(limit)")
        return reply.json?.arrayValue?.compactMap { $0["guid"]?.stringValue } ?? []
    }

    struct Reply {
        var status: Int
        var text: String
        var json: JSONValue? { try? JSONValue(parsing: Array(text.utf8)) }
    }

    /// One REST call with the admin token (control traffic only: the load uses `OpenLoopLoad`).
    func request(_ method: String, _ path: String, json: JSONValue? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(httpPort)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.encodedBytes())
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self))
    }

    /// SIGTERM, then waits for the exit; removes the data directory.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A free TCP port on 127.0.0.1 (bound, read and released; the race with other processes is
/// negligible on a benchmark machine).
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw BenchError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
