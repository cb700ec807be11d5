import Foundation
import Logging
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

/// The gateway's failure answers come from the front end's manifest (`failureBodies`), else a
/// neutral plain-text body; every response carries a request id that the access log shows.
@Suite(.serialized) struct GatewayFailureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Builds the failing front end twice (undeclared at /flaky, declared at /declared).
    static func pluginDirectory() async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-flaky-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = root.appendingPathComponent("Tests/Fixtures/c-plugins/flaky_frontend.c").path
        let header = root.appendingPathComponent("Tests/Fixtures/abi-v1.1").path
        for (name, defines) in [("flaky.so", [String]()), ("flaky-declared.so", ["-DDECLARED"])] {
            _ = try await ChildProcess.checked(
                "/usr/bin/cc",
                ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden", "-I", header]
                    + defines + [source, "-o", (directory as NSString).appendingPathComponent(name), "-lpthread"])
        }
        return directory
    }

    @Test func theRESTPluginDeclaresOpenAMTShapesForGatewayFailures() async throws {
        let rest = try await sharedHost.value
        let manifests = rest.host.plugins.plugins(contributing: "tether.frontend.http/1").map { ($0.plugin.id, $0.manifest) }
        let mounts = try FrontendMount.resolve(contributions: manifests, configured: [])
        let mount = try #require(mounts.first { $0.name == "rest" })
        let expected: [(FrontendFailureReplies.Kind, Int, String)] = [
            (.timeout, 504, "Gateway Timeout"), (.unavailable, 503, "Service Unavailable"), (.failure, 502, "Bad Gateway"),
        ]
        for (kind, status, name) in expected {
            let reply = try #require(mount.failureReplies.reply(kind, reason: "why \"quoted\""))
            #expect(reply["status"]?.intValue == status)
            #expect(reply["body_json"] == ["error": .string(name), "message": "why \"quoted\""])
            #expect(mount.failureReplies.response(kind, reason: "x").status.code == status)
        }
        let console = try #require(mounts.first { $0.name == "console" })
        let reply = try #require(console.failureReplies.reply(.timeout, reason: "late"))
        #expect(reply["status"] == 504 && reply["body_json"] == ["error": "late", "code": "timeout"])
        #expect(reply["headers"]?["content-security-policy"] != nil)
    }

    @Test func failuresAnswerTheDeclaredBodyOrANeutralOne() async throws {
        let directory = try await Self.pluginDirectory()
        let records = LogRecorder()
        let rest = try await RESTTestHost.start(logger: records.logger(level: .info)) {
            $0.pluginDirectories = [directory]
            $0.httpRequestTimeout = .seconds(1)
        }
        defer { Task { await rest.stop(); try? FileManager.default.removeItem(atPath: directory) } }

        // Declared: the template's status, body and headers, with the host's reason.
        let started = ContinuousClock.now
        let slow = try await rest.request("GET", "/declared/slow")
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(slow.status == 599, "\(slow.status) \(slow.text)")
        #expect(slow.json == ["kind": "timeout", "why": "the front end did not answer in time"])
        #expect(slow.headers["x-why"] == "the front end did not answer in time")
        let failed = try await rest.request("GET", "/declared/fail")
        #expect(failed.status == 502 && failed.json?["why"] == ["the front end failed: it broke"], "\(failed.text)")
        let malformed = try await rest.request("GET", "/declared/other")
        #expect(malformed.status == 502 && malformed.json?["kind"] == "failure", "\(malformed.text)")
        // Not declared for this kind: the neutral body.
        let busy = try await rest.request("GET", "/declared/busy")
        #expect(busy.status == 503 && busy.text == "503 Service Unavailable: too busy\n", "\(busy.text)")

        // Undeclared front end: status line and plain-text reason, no JSON.
        let neutral = try await rest.request("GET", "/flaky/slow")
        #expect(neutral.status == 504)
        #expect(neutral.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(neutral.text == "504 Gateway Timeout: the front end did not answer in time\n")
        let neutralFailure = try await rest.request("GET", "/flaky/fail")
        #expect(neutralFailure.status == 502 && neutralFailure.text == "502 Bad Gateway: the front end failed: it broke\n")
    }

    /// Fresh ids are 12 lower-case hex digits, sane by our own rule, and do not repeat; they are
    /// not a counter in disguise (consecutive ids differ in many digits).
    @Test func freshRequestIDsAreDistinctAndLookRandom() {
        let ids = (0..<20_000).map { _ in RequestID.generate() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { id in id.utf8.count == 12 && RequestID.isSane(id) && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
        let differingDigits = zip(ids, ids.dropFirst()).map { a, b in zip(a.utf8, b.utf8).filter { $0 != $1 }.count }
        #expect(Double(differingDigits.reduce(0, +)) / Double(differingDigits.count) > 9, "about 11.25 of 12 digits should differ")
    }

    @Test func everyResponseCarriesARequestIDThatTheAccessLogShows() async throws {
        let directory = try await Self.pluginDirectory()
        let records = LogRecorder()
        let rest = try await RESTTestHost.start(logger: records.logger(level: .info)) { $0.pluginDirectories = [directory] }
        defer { Task { await rest.stop(); try? FileManager.default.removeItem(atPath: directory) } }

        // A sane client id is kept, and the front end sees it.
        let echoed = try await rest.request("GET", "/flaky/echo", headers: ["X-Request-Id": "client-42.a_b"])
        #expect(echoed.headers["x-request-id"] == "client-42.a_b")
        #expect(echoed.json == "client-42.a_b", "the plugin got the id as x-request-id: \(echoed.text)")
        // An insane one (too long, or odd characters) is replaced by a fresh id.
        for bad in [String(repeating: "a", count: 65), "no spaces", "semi;colon"] {
            let reply = try await rest.request("GET", "/flaky/echo", headers: ["X-Request-Id": bad])
            let id = try #require(reply.headers["x-request-id"])
            #expect(id != bad && id.count == 12 && RequestID.isSane(id), "\(id)")
            #expect(reply.json == .string(id))
        }
        // Every answer has one, the REST API's and the host's own 404 included; fresh ids differ.
        let health = try await rest.request("GET", "/api/v1/health")
        let missing = try await rest.request("GET", "/nothing-mounted-here")
        let ids = [health.headers["x-request-id"], missing.headers["x-request-id"]].compactMap { $0 }
        #expect(ids.count == 2 && Set(ids).count == 2)

        // The access log line (JSON log format) of each request carries its id.
        let healthID = try #require(health.headers["x-request-id"])
        let line = try #require(await records.waitForLine { $0["message"] == "http" && $0["metadata"]?["requestId"] == .string(healthID) })
        #expect(line["metadata"]?["path"] == "/api/v1/health" && line["metadata"]?["status"] == "200", "\(line)")
        #expect(await records.waitForLine { $0["message"] == "http" && $0["metadata"]?["requestId"] == "client-42.a_b" } != nil)
        // A failure's warning carries it too.
        let failed = try await rest.request("GET", "/flaky/fail", headers: ["X-Request-Id": "failing-1"])
        #expect(failed.headers["x-request-id"] == "failing-1")
        #expect(await records.waitForLine { $0["message"] == "front end failed" && $0["metadata"]?["requestId"] == "failing-1" } != nil)
    }
}
