import Foundation
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

@Suite struct RequestHandlingTests {
    @Test func malformedJSONIsA400WithAMessage() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        for path in ["/api/v1/admin/ciraconfigs", "/api/v1/devices", "/api/v1/amt/power/action/\(UUID())"] {
            let reply = try await bed.request("POST", path, body: Data("{\"configName\": ".utf8), token: token)
            #expect(reply.status == 400, "\(path)")
            #expect(reply.json?["errorDescription"]?.stringValue?.contains("Malformed JSON") == true, "\(path): \(reply.text)")
        }
    }

    /// express-validator echoes a rejected field's value; Tether never echoes a secret.
    @Test func validationErrorsNeverEchoPasswords() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let weak = "weakpass"
        let reply = try await bed.request(
            "POST", "/api/v1/admin/profiles",
            json: [
                "profileName": "echo-test", "activation": "ccmactivate", "generateRandomPassword": false,
                "amtPassword": .string(weak), "dhcpEnabled": true,
            ], token: token)
        #expect(reply.status == 400)
        let errors = reply.json?["errors"]?.arrayValue ?? []
        #expect(errors.contains { $0["path"] == "amtPassword" }, "\(reply.text)")
        #expect(!reply.text.contains(weak), "the password was echoed: \(reply.text)")
        // Non-secret fields keep the peer's shape (their value is echoed).
        let bad = try await bed.request(
            "POST", "/api/v1/admin/profiles",
            json: ["profileName": "echo test", "activation": "ccmactivate", "generateRandomPassword": true, "dhcpEnabled": true],
            token: token)
        #expect(bad.json?["errors"]?.arrayValue?.contains { $0["path"] == "profileName" && $0["value"] == "echo test" } == true, "\(bad.text)")
    }

    @Test func unknownPowerActionListsTheValidOnes() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let reply = try await bed.request("POST", "/api/v1/amt/power/action/\(UUID())", json: ["action": 9], token: token)
        #expect(reply.status == 400)
        let message = reply.json?["errors"]?.arrayValue?.first?["msg"]?.stringValue ?? ""
        #expect(message.contains("2, 3, 4, 5, 6, 7, 8, 10"), "\(reply.text)")
        let boot = try await bed.request("POST", "/api/v1/amt/power/bootOptions/\(UUID())", json: ["action": 2, "useSOL": false], token: token)
        #expect(boot.status == 400)
        #expect(boot.json?["errors"]?.arrayValue?.first?["msg"]?.stringValue?.contains("100, 101") == true)
        let noSOL = try await bed.request("POST", "/api/v1/amt/power/bootOptions/\(UUID())", json: ["action": 100], token: token)
        #expect(noSOL.status == 400)
        #expect(noSOL.json?["errors"]?.arrayValue?.first?["path"] == "useSOL")
    }

    @Test func unknownDeviceIsA404() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let guid = UUID().uuidString.lowercased()
        let cases: [(String, String, JSONValue?)] = [
            ("POST", "/api/v1/amt/power/action/\(guid)", ["action": 8] as JSONValue),
            ("GET", "/api/v1/amt/power/state/\(guid)", nil), ("GET", "/api/v1/amt/version/\(guid)", nil),
            ("DELETE", "/api/v1/devices/disconnect/\(guid)", nil),
        ]
        for (method, path, body) in cases {
            let reply = try await bed.request(method, path, json: body, token: token)
            #expect(reply.status == 404, "\(method) \(path): \(reply.status) \(reply.text)")
            #expect(reply.json?["error"]?.stringValue?.hasPrefix("Device not found/connected") == true, "\(path): \(reply.text)")
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        var big = Data("{\"configName\":\"".utf8)
        big.append(Data(repeating: UInt8(ascii: "a"), count: 1 << 20))
        big.append(Data("\"}".utf8))
        let reply = try await bed.request("POST", "/api/v1/admin/ciraconfigs", body: big, token: token)
        #expect(reply.status == 413)
        // Just under the limit is read and judged on its content.
        let small = try await bed.request("POST", "/api/v1/admin/ciraconfigs", json: ["configName": "x"], token: token)
        #expect(small.status == 400)
        #expect(bed.host.httpMetrics?.requests(status: 413) ?? 0 >= 1)
    }

    @Test func oddPathsAreAnsweredNeverCrash() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let cases: [(String, String, Set<Int>)] = [
            ("GET", "/api/v1/devices/..%2F..%2Fetc%2Fpasswd", [400, 404]),
            ("GET", "/api/v1/devices/%2e%2e", [400, 404]),
            ("GET", "/api/v1/devices/%zz", [400]),
            ("GET", "/api/v1/devices/%C3%28", [400]),
            ("GET", "/api/v1/devices/%00", [400, 404]),
            ("GET", "/api/v1/amt/power/state/..%2F..", [404]),
            ("GET", "/api/v1/amt/power/state/%E2%80%AE%F0%9F%92%A3", [404]),
            ("GET", "/api/v1/admin/ciraconfigs/..%2Fprofiles", [404]),
            ("GET", "/api/v1/admin/ciraconfigs/%25", [404]),
            ("DELETE", "/api/v1/admin/domains/" + String(repeating: "x", count: 3000), [404]),
            ("GET", "/api/v1/devices?$top=abc", [400]),
            ("GET", "/api/v1/devices?$top=%zz", [400]),
            ("GET", "/api/v1/nothing/here", [404]),
            ("GET", "/elsewhere", [404]),
        ]
        for (method, path, expected) in cases {
            let reply = try await bed.request(method, path, token: token)
            #expect(expected.contains(reply.status), "\(method) \(path) → \(reply.status) \(reply.text)")
        }
    }

    @Test func routesMatchCaseInsensitively() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        #expect(try await bed.request("GET", "/API/V1/Devices/Stats", token: token).status == 200)
        // Segments are percent-decoded before matching; a literal "+" in a path is no space.
        #expect(try await bed.request("GET", "/api/v1/devices/stat%73", token: token).status == 200)
        let accented = try await bed.request("GET", "/api/v1/devices/stat%C3%A9", token: token)
        // Decoded to "staté": not the stats route but a device GUID, and not a valid one.
        #expect(accented.status == 400, "\(accented.status) \(accented.text)")
        #expect(try await bed.request("GET", "/api/v1/devices?$top=%31", token: token).status == 200)
        let boot = try await bed.request("POST", "/api/v1/amt/power/bootoptions/\(UUID())", json: ["action": 101, "useSOL": true], token: token)
        #expect(boot.status == 404)
    }

    @Test func listsCarryAnETagAndHonourIfNoneMatch() async throws {
        let bed = try await sharedHost.value
        let token = try await bed.token()
        let first = try await bed.request("GET", "/api/v1/admin/domains", token: token)
        #expect(first.status == 200)
        let tag = try #require(first.headers["etag"])
        let second = try await bed.request("GET", "/api/v1/admin/domains", token: token, headers: ["If-None-Match": tag])
        #expect(second.status == 304)
    }

    /// `/metrics` parses as Prometheus text and carries every documented family with its type and
    /// labels; histograms are cumulative with `+Inf` = `_count`.
    @Test func metricsArePrometheusText() async throws {
        let bed = try await sharedHost.value
        _ = try await bed.request("GET", "/api/v1/devices/stats")
        let reply = try await bed.request("GET", "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
        let exposition = try PrometheusExposition(parsing: reply.text)
        let documented: [(String, String)] = [
            ("tether_connected_devices", "gauge"), ("tether_http_requests_total", "counter"),
            ("tether_http_request_duration_seconds", "histogram"), ("tether_wsman_call_duration_seconds", "histogram"),
        ] + [
            "connections_accepted", "handshakes_completed", "handshakes_failed", "auth_failures", "protocol_errors",
            "idle_closes", "channels_opened", "channel_open_failures", "replaced_sessions",
        ].map { ("tether_cira_\($0)_total", "counter") }
        for (name, type) in documented {
            #expect(exposition.families[name]?.type == type, "\(name) should be a \(type)")
        }
        #expect((exposition.value("tether_http_requests_total", ["frontend": "rest", "code": "401"]) ?? 0) >= 1)
        #expect(exposition.bucketBounds("tether_http_request_duration_seconds") == [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        #expect(exposition.bucketBounds("tether_wsman_call_duration_seconds") == [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
        for sample in exposition.samples("tether_http_requests_total") {
            #expect(Set(sample.labels.keys) == ["frontend", "code"])
        }
        for sample in exposition.samples("tether_power_actions_total") {
            #expect(Set(sample.labels.keys) == ["code", "result"])
        }
        for sample in exposition.samples("tether_plugin_call_errors_total") {
            #expect(Set(sample.labels.keys) == ["plugin", "code"])
        }
    }

    /// The parser refuses what a scraper would: a bucket count that decreases, a sample of an
    /// undeclared family, a bad escape (so the test above can fail).
    @Test func expositionParserRefusesBrokenText() {
        let histogram = "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 4\nh_bucket{le=\"+Inf\"} 5\nh_sum 1\nh_count 5\n"
        #expect(throws: PrometheusExposition.ParseError.self) { try PrometheusExposition(parsing: histogram) }
        #expect(throws: PrometheusExposition.ParseError.self) { try PrometheusExposition(parsing: "x_total 1\n") }
        #expect(throws: PrometheusExposition.ParseError.self) { try PrometheusExposition(parsing: "# TYPE c counter\nc{a=\"\\q\"} 1\n") }
        #expect(throws: Never.self) { try PrometheusExposition(parsing: "# TYPE c counter\nc{a=\"x\\\"y\"} 1\n") }
    }

}
