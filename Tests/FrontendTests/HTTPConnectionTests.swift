import Foundation
import NIOCore
import TestSupport
import WSMan
import Testing
@testable import TetherCore

/// The host's HTTP/1.1 connections (``GatewayHTTP1Channel``) on the raw wire: request order,
/// early answers, body limits, HEAD, `Date`, and the first-request routing to the websocket.
@Suite struct HTTPConnectionTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        try await client.send(Array((get("/api/v1/version") + get("/api/v1/no-such-route") + get("/api/v1/version")).utf8))
        let responses = try await answers(client, count: 3)
        #expect(responses.map(\.status) == [200, 401, 200])  // an unknown route without a token: 401
        #expect(responses[0].text.contains("serviceVersion") && responses[2].text == responses[0].text)
    }

    @Test func anUnauthenticatedBodyIsAnsweredAtOnceAndTheConnectionServesOn() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        // No token: 401 from the head alone; the body that follows is dropped, not taken as a request.
        let body = #"{"name":"GET /api/v1/version HTTP/1.1"}"#
        try await client.send(Array(("POST /api/v1/devices HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            + body + get("/api/v1/version")).utf8))
        let responses = try await answers(client, count: 2)
        #expect(responses.map(\.status) == [401, 200])
        #expect(!client.isClosed)
    }

    @Test func aStreamedBodyOverTheLimitIs413AndTheConnectionServesOn() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        // Chunked (no Content-Length to refuse up front) and unauthenticated: 4,096 bytes at most.
        let chunk = String(repeating: "x", count: 3000)
        let chunkLine = String(chunk.utf8.count, radix: 16)
        try await client.send(Array(("POST /api/v1/authorize HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "\(chunkLine)\r\n\(chunk)\r\n\(chunkLine)\r\n\(chunk)\r\n0\r\n\r\n" + get("/api/v1/version")).utf8))
        let responses = try await answers(client, count: 2)
        #expect(responses.map(\.status) == [413, 200])
        #expect(responses[0].text.contains("exceeds 4096 bytes"))
    }

    @Test func headAnswersCarryTheirLengthButNoBody() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        try await client.send(Array(("HEAD /api/v1/version HTTP/1.1\r\nHost: t\r\n\r\n" + get("/api/v1/version")).utf8))
        let responses = try await answers(client, count: 2, bodylessFirst: true)
        #expect(Int(responses[0].headers["content-length"] ?? "") ?? 0 > 0)
        #expect(responses[0].body.isEmpty)
        #expect(responses[1].status == 200 && responses[1].text.contains("serviceVersion"))
    }

    @Test func answersCarryAnIMFFixdate() async throws {
        #expect(HTTPDate.format(seconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110 §5.6.7's example
        let host = try await sharedHost.value
        let reply = try await host.request("GET", "/api/v1/version")
        let date = try #require(reply.headers["date"])
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "GMT")
        parser.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let sent = try #require(parser.date(from: date), "not an IMF-fixdate: \(date)")
        #expect(abs(sent.timeIntervalSinceNow) < 60)
    }

    @Test func aWebsocketUpgradeAfterAPlainRequestIsSentToANewConnection() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        let upgrade = "GET /activate HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await client.send(Array((get("/api/v1/version") + upgrade).utf8))
        let responses = try await answers(client, count: 2)
        #expect(responses.map(\.status) == [200, 307])
        #expect(responses[1].headers["location"] == "/activate")
        #expect(await client.waitForClose())

        // The same request first on a connection is upgraded.
        let fresh = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await fresh.close() } }
        try await fresh.send(Array(upgrade.utf8))
        #expect(try await answers(fresh, count: 1, bodylessFirst: true).first?.status == 101)
    }

    @Test func theFirstRequestLineMayArriveInPieces() async throws {
        let host = try await sharedHost.value
        let client = try await RawClient.connect(port: try #require(host.host.httpPort), tls: false)
        defer { Task { await client.close() } }
        for piece in ["GE", "T /api/v1/ver", "sion HTTP/1.1\r", "\nHost: t\r\n\r\n"] {
            try await client.send(Array(piece.utf8))
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(try await answers(client, count: 1).first?.status == 200)
    }

    /// Mutated pipelined requests (a token-less POST with a body, a chunked one, an upgrade, a
    /// GET) on 300 connections, 20 at a time: every connection gets answers or is closed, and the
    /// host still serves. Seeded, so a failure repeats.
    @Test func mutatedRequestStreamsNeverStopTheHost() async throws {
        let host = try await sharedHost.value
        let port = try #require(host.host.httpPort)
        let seed = "POST /api/v1/devices HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n{\"a\":\"GET\"}"
            + "POST /api/v1/authorize HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"u\":\r\n0\r\n\r\n"
            + "GET /activate HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
            + get("/api/v1/version")
        var mutator = InputMutator(seed: 0x7E7E_C0DE, tokens: ["\r\n", "\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked\r\n", "HTTP/1.1", "GET /activate "])
        let inputs = (0..<300).map { _ in mutator.mutate(Array(seed.utf8)) }
        for batch in stride(from: 0, to: inputs.count, by: 20) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for input in inputs[batch..<min(inputs.count, batch + 20)] {
                    group.addTask {
                        let client = try await RawClient.connect(port: port, tls: false)
                        try? await client.send(input)
                        _ = await client.waitForBytes(1, timeout: .seconds(2))
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
        }
        let after = try await host.request("GET", "/api/v1/version")
        #expect(after.status == 200 && after.text.contains("serviceVersion"))
    }

    /// Connections reset as soon as they open, before a request line (some before the host has
    /// set them up): none may leave the host waiting for it, so it stops in time afterwards.
    @Test func connectionsResetAtOnceNeverHoldUpTheShutdown() async throws {
        let rest = try await RESTTestHost.start()
        let port = try #require(rest.host.httpPort)
        for _ in 0..<20 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<25 {
                    group.addTask { await (try? RawClient.connect(port: port, tls: false))?.reset() }
                }
                try await group.waitForAll()
            }
        }
        #expect(try await rest.request("GET", "/api/v1/version").status == 200)
        let stopped = ContinuousClock.now
        await rest.stop()
        #expect(ContinuousClock.now - stopped < .seconds(8), "the host took \(ContinuousClock.now - stopped) to stop")
    }

    @Test func requestTargetsOfFirstLines() {
        func target(_ line: String) -> String? {
            FirstRequestRouter.target(ofRequestLine: ByteBuffer(string: line).readableBytesView)
        }
        #expect(target("GET /activate HTTP/1.1\r") == "/activate")
        #expect(target("GET /activate?mode=x HTTP/1.1\r") == "/activate")
        #expect(target("GET /activate/x HTTP/1.1\r") == "/activate/x")
        #expect(target("GARBAGE") == nil)
    }

    private func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n" }

    /// Waits for `count` whole responses on `client` and returns them.
    private func answers(_ client: RawClient, count: Int, bodylessFirst: Bool = false) async throws -> [RawHTTPResponse] {
        _ = await eventually { RawHTTPResponse.parse(client.received, bodylessFirst: bodylessFirst).count >= count || client.isClosed }
        let responses = RawHTTPResponse.parse(client.received, bodylessFirst: bodylessFirst)
        try #require(responses.count >= count, "got \(responses.count) of \(count) responses: \(String(decoding: client.received, as: UTF8.self))")
        return responses
    }
}

/// An HTTP/1.1 response read off the raw wire (Content-Length bodies only).
struct RawHTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The whole responses at the start of `bytes`; with `bodylessFirst`, the first has no body
    /// whatever its headers say (the answer to HEAD, or a 101).
    static func parse(_ bytes: [UInt8], bodylessFirst: Bool = false) -> [RawHTTPResponse] {
        var responses: [RawHTTPResponse] = []
        var offset = 0
        let separator: [UInt8] = [13, 10, 13, 10]
        while offset < bytes.count {
            guard let end = (offset...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else { break }
            let head = String(decoding: bytes[offset..<end], as: UTF8.self).components(separatedBy: "\r\n")
            guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1.1 "),
                  let status = Int(statusLine.dropFirst(9).prefix(3)) else { break }
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = responses.isEmpty && bodylessFirst ? 0 : Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end + 4
            guard bodyStart + length <= bytes.count else { break }
            responses.append(RawHTTPResponse(status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)])))
            offset = bodyStart + length
        }
        return responses
    }
}
