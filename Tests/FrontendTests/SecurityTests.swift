import Foundation
import Logging
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One finding of the security review (issue 16) per test: each fails on the code before the fix.
@Suite(.serialized) struct SecurityTests {
    /// A host with its own settings (and, optionally, a reused data directory).
    private func startHost(
        directory: String = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sec-\(UUID().uuidString)").path,
        password: String = adminPassword, _ adjust: (inout TetherConfiguration) -> Void = { _ in }
    ) async throws -> RESTTestHost {
        try await reuseCertificateAuthority(in: directory)
        var configuration = TetherConfiguration(dataDirectory: directory)
        configuration.adminUser = "admin"
        configuration.adminPassword = password
        configuration.ciraBind = "127.0.0.1"
        configuration.ciraPort = 0
        configuration.httpPort = 0
        configuration.commonName = "127.0.0.1"
        adjust(&configuration)
        var logger = Logger(label: "security-test")
        logger.logLevel = .critical
        let host = TetherHost(configuration: configuration, logger: logger)
        try await host.start([.store, .http])
        let port = host.httpPort ?? host.httpsPort ?? 0
        return RESTTestHost(host: host, base: URL(string: "http://127.0.0.1:\(port)")!, dataDirectory: directory)
    }

    /// Copies the shared host's sealing key and certificate authority into `directory` (unless
    /// it has them): generating RSA keys in a debug build is the slowest part of a host start.
    private func reuseCertificateAuthority(in directory: String) async throws {
        let source = try await sharedHost.value.dataDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["secret.key", "certs"] {
            let target = directory + "/" + name
            guard !FileManager.default.fileExists(atPath: target) else { continue }
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: target)
        }
    }

    private func nested(_ depth: Int) -> Data {
        Data((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
    }

    @Test func securityKeysAreReadFromTheConfigFileAndChecked() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sec-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data(#"{"httpEnabled": false, "httpsPort": 8443, "httpsBind": "0.0.0.0", "metricsPort": 9464, "httpMaxConnections": 64, "httpHeaderTimeoutSeconds": 5, "allowedHosts": ["Tether.Example"], "loginMaxFailuresPerSource": 3, "selfRegistrationQuota": 10}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        var configuration = TetherConfiguration()
        try configuration.apply(file: file)
        #expect(configuration.security.httpEnabled == false)
        #expect(configuration.security.httpsBind == "0.0.0.0")
        #expect(configuration.security.metricsPort == 9464)
        #expect(configuration.security.httpMaxConnections == 64)
        #expect(configuration.security.httpHeaderTimeout == .seconds(5))
        #expect(configuration.security.allowedHosts == ["tether.example"])
        #expect(configuration.security.loginMaxFailuresPerSource == 3)
        #expect(configuration.security.selfRegistrationQuota == 10)
        try Data(#"{"httpMaxConnections": 0}"#.utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ConfigurationError.self) { try configuration.apply(file: file) }
    }

    // MARK: High 1 — parsing cost before authentication

    @Test func deeplyNestedLoginBodiesAreCheapAndSmallBodiesOnly() async throws {
        let bed = try await sharedHost.value
        // (The parse itself is timed in TetherJSONTests: well under 5 ms.)
        let deep = try await bed.request("POST", "/api/v1/authorize", body: nested(511))
        #expect(deep.status == 400)
        #expect(!deep.text.contains("Swift") && !deep.text.contains("DecodingError") && !deep.text.contains("byte"))
        // Unauthenticated routes take small bodies only.
        let big = try await bed.request("POST", "/api/v1/authorize", body: Data(repeating: 0x20, count: 5000))
        #expect(big.status == 413)
    }

    @Test func aFloodOfNestedBodiesLeavesHealthResponsive() async throws {
        let bed = try await startHost()
        let body = nested(800)
        var baseline: [Duration] = []
        for _ in 0..<5 {
            let started = ContinuousClock.now
            _ = try await bed.request("GET", "/api/v1/health")
            baseline.append(ContinuousClock.now - started)
        }
        let flood = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<20 { _ = try? await bed.request("POST", "/api/v1/authorize", body: body) }
                    }
                }
            }
        }
        var latencies: [Duration] = []
        for _ in 0..<10 {
            let started = ContinuousClock.now
            let health = try await bed.request("GET", "/api/v1/health")
            latencies.append(ContinuousClock.now - started)
            #expect(health.status == 200)
        }
        await flood.value
        // 100 ms on an otherwise idle machine (the issue's bound); when the whole suite loads the
        // machine, at most three times the latency measured just before the flood. Before the
        // parser rewrite the flood froze /health for seconds.
        let median = latencies.sorted()[latencies.count / 2]
        let bound = max(.milliseconds(100), baseline.sorted()[baseline.count / 2] * 3)
        #expect(median < bound, "health latencies under the flood: \(latencies), before it: \(baseline)")
        await bed.stop()
    }

    // MARK: Medium 8 — no body is read before authentication

    @Test func aRequestWithoutATokenIsAnsweredBeforeItsBodyIsRead() async throws {
        let bed = try await sharedHost.value
        let connection = try await RawClient.connect(port: bed.base.port!, tls: false)
        // Declares 1 MiB and sends none of it: the answer must not wait for the body.
        try await connection.send(Array("POST /api/v1/devices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n".utf8))
        #expect(await connection.waitForBytes(12, timeout: .seconds(20)))
        #expect(String(decoding: connection.received, as: UTF8.self).hasPrefix("HTTP/1.1 401"))
        try? await connection.channel.close()
    }

    // MARK: Medium 3 — header deadline and connection cap

    @Test func slowAndIdleConnectionsAreClosedAndConnectionsAreCapped() async throws {
        let bed = try await startHost { configuration in
            configuration.security.httpHeaderTimeout = .milliseconds(500)
            configuration.security.httpMaxConnections = 4
        }
        let port = bed.base.port!
        let half = try await RawClient.connect(port: port, tls: false)
        try await half.send(Array("GET /api/v1/health HTTP/1.1\r\nHost: 127".utf8))
        #expect(await half.waitForClose(timeout: .seconds(5)), "a half-sent request head must be closed")
        var idle: [RawClient] = []
        for _ in 0..<4 { idle.append(try await RawClient.connect(port: port, tls: false)) }
        let extra = try await RawClient.connect(port: port, tls: false)
        #expect(await extra.waitForClose(timeout: .seconds(2)), "a connection beyond the cap must be closed")
        // Idle connections go after the header deadline; then the host serves again.
        for connection in idle { #expect(await connection.waitForClose(timeout: .seconds(5))) }
        // The host frees a slot when it has processed the close, which can lag the client seeing
        // it (a request in that gap is refused like any over the cap): it must serve again soon.
        var served = false
        let servingDeadline = ContinuousClock.now + .seconds(10)
        while !served && ContinuousClock.now < servingDeadline {
            served = (try? await bed.request("GET", "/api/v1/health").status) == 200
            if !served { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(served, "the host did not serve again after the idle connections were closed")
        let metrics = try await bed.request("GET", "/metrics").text
        #expect(metrics.contains(#"tether_http_refused_connections_total{listener="http"} "#))
        await bed.stop()
    }

    // MARK: Medium 4 — login brute force

    @Test func failedLoginsAreLimitedLoggedAndCounted() async throws {
        let bed = try await startHost { configuration in configuration.security.loginMaxFailuresPerSource = 3 }
        for _ in 0..<3 {
            #expect(try await bed.request("POST", "/api/v1/authorize", json: ["username": "admin", "password": "guess"]).status == 401)
        }
        let limited = try await bed.request("POST", "/api/v1/authorize", json: ["username": "admin", "password": .string(adminPassword)])
        #expect(limited.status == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        let metrics = try await bed.request("GET", "/metrics").text
        #expect(metrics.contains("tether_http_login_failures_total 3"))
        #expect(metrics.contains("tether_http_login_throttled_total 1"))
        await bed.stop()
    }

    // MARK: Medium 7 — revocation

    @Test func logoutRevokesTheTokenAndAPasswordChangeInvalidatesOldTokens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await startHost(directory: directory)
        let kept = try await first.token()
        let loggedOut = try await first.token()
        let authorize = try await first.request("POST", "/api/v1/authorize", json: ["username": "admin", "password": .string(adminPassword)])
        #expect(authorize.headers["cache-control"] == "no-store")
        #expect(try await first.request("POST", "/api/v1/logout", token: loggedOut).status == 200)
        #expect(try await first.request("GET", "/api/v1/devices/stats", token: loggedOut).status == 401)
        #expect(try await first.request("GET", "/api/v1/devices/stats", token: kept).status == 200)
        await first.host.stop()
        // Same data directory: the revocation survives a restart.
        let again = try await startHost(directory: directory)
        #expect(try await again.request("GET", "/api/v1/devices/stats", token: loggedOut).status == 401)
        #expect(try await again.request("GET", "/api/v1/devices/stats", token: kept).status == 200)
        await again.host.stop()
        // New password: every earlier token is dead.
        let changed = try await startHost(directory: directory, password: "Another-P@ss-2")
        #expect(try await changed.request("GET", "/api/v1/devices/stats", token: kept).status == 401)
        await changed.host.stop()
    }

    // MARK: Medium 9 — HTTPS only, /metrics placement

    @Test func httpsOnlyWithMetricsOnTheirOwnListener() async throws {
        let bed = try await startHost { configuration in
            configuration.security.httpEnabled = false
            configuration.httpsPort = 0
            configuration.security.metricsPort = 0
        }
        #expect(bed.host.httpPort == nil)
        #expect(bed.host.httpsPort != nil)
        let metricsPort = try #require(bed.host.metricsPort)
        let metrics = try await client.data(from: URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
        #expect((metrics.1 as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: metrics.0, as: UTF8.self).contains("tether_connected_devices"))
        let api = try await client.data(from: URL(string: "http://127.0.0.1:\(metricsPort)/api/v1/version")!)
        #expect((api.1 as? HTTPURLResponse)?.statusCode == 404)
        await bed.stop()
    }

    @Test func metricsCanRequireAToken() async throws {
        let bed = try await startHost { configuration in configuration.security.metricsRequireToken = true }
        #expect(try await bed.request("GET", "/metrics").status == 401)
        #expect(try await bed.request("GET", "/metrics", token: try await bed.token()).status == 200)
        await bed.stop()
    }

    // MARK: Low — headers, Host allow-list, file modes, audit actor, duplicate keys

    @Test func responsesCarryProtectiveHeadersAndUnknownHostsAreRefused() async throws {
        let bed = try await startHost { configuration in configuration.security.allowedHosts = ["127.0.0.1", "tether.example"] }
        let health = try await bed.request("GET", "/api/v1/health")
        #expect(health.headers["x-content-type-options"] == "nosniff")
        let rebound = try await bed.request("GET", "/api/v1/health", headers: ["Host": "attacker.example"])
        #expect(rebound.status == 421)
        await bed.stop()
    }

    @Test func looseModesOfTheDataDirectoryAndSecretFilesAreFixed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let key = directory + "/http-token.key"
        FileManager.default.createFile(atPath: key, contents: Data(repeating: 1, count: 32), attributes: [.posixPermissions: 0o644])
        let bed = try await startHost(directory: directory)
        let mode = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(directory) == 0o700)
        #expect(mode(key) == 0o600)
        await bed.host.stop()
    }

    @Test func topIsBounded() async throws {
        let paging = try AdminPaging(AdminArguments(["$top": "99999999"], command: "ciraconfigs.list"))
        #expect(paging.page.top == AdminPaging.maximumTop)
        let bed = try await sharedHost.value
        let listed = try await bed.request("GET", "/api/v1/admin/ciraconfigs?$top=99999999", token: try await bed.token())
        #expect(listed.status == 200)
    }

    @Test func theAuditActorIsTheTokenSubjectAndDuplicateKeysAreRefused() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let name = "sec\(UUID().uuidString.prefix(8).lowercased())"
        let created = try await bed.request(
            "POST", "/api/v1/admin/ciraconfigs", json: [
                "configName": .string(name), "mpsServerAddress": "127.0.0.1", "mpsPort": 4433, "username": "standalone",
                "password": "G@ppm0ym", "commonName": "127.0.0.1", "serverAddressFormat": 3, "authMethod": 2, "proxyDetails": "",
                "actor": "mallory",
            ], token: token)
        #expect(created.status == 201, "\(created.text)")
        let events = try await bed.host.store!.audit.list(target: name).items
        #expect(events.count == 1)
        #expect(events.allSatisfy { $0.actor == "admin" }, "\(events.map(\.actor))")
        let duplicate = try await bed.request(
            "POST", "/api/v1/authorize", body: Data(#"{"username":"admin","username":"x","password":"y"}"#.utf8))
        #expect(duplicate.status == 400)
    }
}
