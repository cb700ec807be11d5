import Foundation
import Testing
import TestSupport
import TetherJSON
@testable import TetherCore

/// The suite's smoke run of the REST request path (the long run is `Fuzz/build.sh rest`): for a
/// few seconds, mutated `http.request`s — method, path, query, token and body each mutated
/// some of the time, half of them with a token — go to the real REST plugin through the plugin
/// host (on a host of its own, so random creates touch no other test). Every reply is a valid
/// front-end reply with a status 100–599, never a 5xx the request caused, and the host still
/// answers.
@Suite struct RESTRequestSmokeTests {
    static let seeds: [(method: String, path: String, query: String, body: String)] = [
        ("POST", "/api/v1/amt/power/action/8dad96cb-c3db-11e6-9c43-bc0000d20000", "", #"{"action":8}"#),
        ("GET", "/api/v1/admin/ciraconfigs/ci%2Fra", "$top=10&$skip=0&$count=true", ""),
        ("POST", "/api/v1/admin/profiles", "", #"{"profileName":"p","activation":"ccmactivate","tags":["a"]}"#),
        ("PATCH", "/api/v1/devices", "", #"{"guid":"8dad96cb-c3db-11e6-9c43-bc0000d20000","version":"1"}"#),
        ("GET", "/api/v1/devices", "tags=a,b&method=AND&hostname=x%20y", ""),
        ("DELETE", "/api/v1/admin/domains/vprodemo", "", ""),
        ("POST", "/api/v1/authorize", "", #"{"username":"admin","password":"x"}"#),
    ]

    @Test func mutatedRequestsGetWellFormedAnswers() async throws {
        let bed = try await RESTTestHost.start()
        let token = try await bed.token()
        var mutator = InputMutator(seed: 29, tokens: ["%", "%2F", "/", "{", "}", "\"", ":", ",", "?", "&", "=", "..", "\u{0}"])
        func mutated(_ text: String) -> String {
            String(decoding: mutator.mutate(Array(text.utf8)), as: UTF8.self)
        }
        /// Each part is mutated half the time, so valid requests (2xx) are among the mix.
        func maybeMutated(_ text: String) -> String { mutator.below(2) == 0 ? mutated(text) : text }
        let deadline = ContinuousClock.now + .seconds(3)
        var runs = 0
        var statuses: [Int: Int] = [:]
        // The seeds as they are (with the token) first, then mutations.
        while ContinuousClock.now < deadline || runs < 50 {
            let pristine = runs < Self.seeds.count
            let seed = Self.seeds[pristine ? runs : mutator.below(Self.seeds.count)]
            var headers: [String: JSONValue] = ["content-type": "application/json"]
            if pristine || mutator.below(2) == 0 {
                headers["authorization"] = .string("Bearer " + (!pristine && mutator.below(4) == 0 ? mutated(token) : token))
            }
            func part(_ text: String) -> String { pristine ? text : maybeMutated(text) }
            let request: JSONValue = [
                "op": "http.request", "method": .string(!pristine && mutator.below(4) == 0 ? mutated(seed.method) : seed.method),
                "path": .string(part(seed.path)), "mount": "/api/v1", "query": .string(part(seed.query)),
                "headers": .object(headers), "remoteAddress": "127.0.0.1",
                "body_base64": .string(Data(part(seed.body).utf8).base64EncodedString()),
            ]
            let reply = try await bed.host.plugins.call(pluginID: "io.tether.frontend-rest", request: request)
            let status = reply["status"]?.intValue ?? 0
            #expect((100...599).contains(status), "request \(request.jsonString) → \(reply.jsonString)")
            #expect(throws: Never.self, "reply \(reply.jsonString)") { _ = try FrontendReply.response(from: reply) }
            #expect(status < 500 || status == 503, "request \(request.jsonString) → \(reply.jsonString)")
            statuses[status, default: 0] += 1
            runs += 1
        }
        #expect(runs >= 50)
        #expect(statuses.keys.contains { (200..<300).contains($0) }, "statuses: \(statuses)")
        #expect(statuses[400, default: 0] + statuses[404, default: 0] > 0, "statuses: \(statuses)")
        // The host still serves.
        let health = try await bed.request("GET", "/api/v1/health")
        #expect(health.status == 200)
        await bed.stop()
    }
}
