import Foundation
import TestSupport
import Testing
import TetherJSON
import WSMan
@testable import TetherCore
import Logging
import PluginHost

/// `io.tether.webhooks` over real loopback HTTP: a good endpoint gets signed events while a
/// refusing, a hanging and a 500-answering endpoint fail on their own, without holding up the
/// host or the good endpoint.
extension EventsIntegrationTests {
    @Suite(.serialized) struct WebhookTests {
        static let secret = "webhook-s3cret-value"

        @Test func signedEventsReachTheGoodEndpointWhateverTheOthersDo() async throws {
            let good = WebhookReceiver(.answer(200)), failing = WebhookReceiver(.answer(500)), hanging = WebhookReceiver(.hang)
            let goodPort = try await good.start(), failingPort = try await failing.start(), hangingPort = try await hanging.start()
            let refusedPort = try await WebhookReceiver.refusingPort()
            defer { Task { for receiver in [good, failing, hanging] { await receiver.stop() } } }
            let config: JSONValue = [
                "attempts": 3, "backoffMs": 50, "timeoutMs": 2000,
                "endpoints": [
                    ["url": .string("http://127.0.0.1:\(goodPort)/hook"), "secret": .string(Self.secret), "types": ["device.*"]],
                    ["url": .string("http://127.0.0.1:\(refusedPort)/hook"), "secret": "refused-secret", "types": ["*"]],
                    ["url": .string("http://127.0.0.1:\(hangingPort)/hook"), "secret": "hanging-secret", "types": ["*"], "timeoutMs": 500, "attempts": 2],
                    ["url": .string("http://127.0.0.1:\(failingPort)/hook"), "secret": "failing-secret", "types": ["device.*"]],
                ],
            ]
            let bed = try await EventsTestHost.start(pluginConfigs: ["io.tether.webhooks": config])
            defer { Task { await bed.stop() } }
            let fleet = try await bed.fleet(count: 1, seed: 2718)
            let guid = fleet.devices[0].configuration.uuid.guidString.lowercased()
            await fleet.start()
            defer { Task { await fleet.stop() } }
            #expect(await bed.waitForSessions([guid]))

            // The good endpoint gets device.connected, signed.
            let arrived = await eventually { good.requests.contains { Self.type(of: $0) == "device.connected" } }
            let webhookStats = (try? await bed.host.bus.run("webhooks.stats"))?.jsonString ?? "-"
            let eventStats = (try? await bed.host.bus.run("events.stats"))?.jsonString ?? "-"
            #expect(arrived, "no webhook arrived: \(webhookStats) \(eventStats)")
            let request = try #require(good.requests.first { Self.type(of: $0) == "device.connected" })
            #expect(request.method == "POST" && request.target == "/hook")
            #expect(request.headers["Content-Type"] == "application/json")
            let body = try JSONValue(parsing: request.body)
            #expect(body["guid"]?.stringValue == guid && body["tenantId"] == "")
            #expect(body["time"]?.stringValue?.hasSuffix("Z") == true)
            let signature = try #require(request.headers["X-Tether-Signature"])
            #expect(signature == "sha256=" + (try await Self.opensslHMAC(request.body, secret: Self.secret)), "signature \(signature)")

            // While the hanging endpoint holds its delivery, the host answers at once.
            let clock = ContinuousClock()
            let began = clock.now
            _ = try await bed.host.bus.run("host.version")
            #expect(clock.now - began < .seconds(1))

            // The failing endpoints fail on their own: 500 three times, refused, hung until the deadline.
            let done = await eventually(timeout: .seconds(30)) {
                let stats = (try? await bed.host.bus.run("webhooks.stats"))?["endpoints"]?.arrayValue ?? []
                return stats.count == 4 && stats[1]["failed"]?.intValue ?? 0 >= 1 && stats[2]["failed"]?.intValue ?? 0 >= 1
                    && stats[3]["failed"]?.intValue ?? 0 >= 1
            }
            let stats = try await bed.host.bus.run("webhooks.stats")["endpoints"]?.arrayValue ?? []
            #expect(done, "\(stats)")
            #expect(stats.first?["delivered"]?.intValue ?? 0 >= 1)
            #expect(stats.first?["failed"] == 0)
            #expect(stats[3]["lastStatus"] == 500 && stats[3]["retries"]?.intValue ?? 0 >= 2)
            #expect(failing.requests.filter { Self.type(of: $0) == "device.connected" }.count == 3)
            #expect(stats[1]["lastError"]?.stringValue?.contains("connect") == true, "\(stats[1])")
            #expect(hanging.requests.count >= 1)
            #expect(!"\(stats)".contains(Self.secret) && !"\(stats)".contains("failing-secret"))
            let events = try await bed.host.bus.run("events.stats")
            let subscribers = events["subscribers"]?.arrayValue ?? []
            #expect(subscribers.contains { $0["name"] == "io.tether.webhooks/endpoint-0" && $0["delivered"]?.intValue ?? 0 >= 1 })
            #expect(subscribers.contains { $0["name"] == "io.tether.webhooks/endpoint-1" && $0["failed"]?.intValue ?? 0 >= 1 })
        }

        @Test func badConfigurationRefusesThePluginWithoutTheSecret() async throws {
            let bed = try await EventsTestHost.start(pluginConfigs: [
                "io.tether.webhooks": ["endpoints": [["url": "ftp://example.invalid/", "secret": "a-long-secret-1"]]]
            ])
            defer { Task { await bed.stop() } }
            let record = try #require(bed.host.plugins.records().first { $0.id == "io.tether.webhooks" })
            #expect(record.status == .failed)
            #expect(!"\(record.json)".contains("a-long-secret-1"))
            #expect(bed.host.bus.descriptor(named: "webhooks.stats") == nil)
        }

        /// Each bad endpoint setting refuses the plugin (loaded alone, without a host), naming the
        /// setting and never the secret; a good one declares one subscription per endpoint.
        @Test func endpointSettingsAreChecked() throws {
            let path = PluginSearchPath.executableDirectory + "/libTetherPluginWebhooks.so"
            func load(_ endpoint: JSONValue) -> PluginRecord {
                let plugins = PluginHost(bus: CommandBus(), logger: Logger(label: "webhooks-config-test"))
                return plugins.load(path: path, settings: PluginSettings(configs: ["io.tether.webhooks": ["endpoints": [endpoint], "attempts": 3]]))
            }
            let good = load(["url": "http://127.0.0.1:1/h", "secret": "long-enough-secret", "types": ["device.*", "*", "job.finished"]])
            #expect(good.status == .loaded, "\(good.json)")
            let subscriptions = good.contributions["tether.events/1"]?["subscriptions"]?.arrayValue ?? []
            #expect(subscriptions.count == 1 && subscriptions.first?["name"] == "endpoint-0")
            let budget: Double = 3 * 5 + 0.5 + 1 + 5  // 3 attempts of 5 s, pauses 0.5 + 1 s, slack 5 s
            #expect(subscriptions.first?["timeoutSeconds"]?.doubleValue == budget)
            #expect(!"\(good.json)".contains("long-enough-secret"))
            for bad: JSONValue in [
                ["url": "http://h/", "secret": "short"], ["url": "https://h/", "secret": "long-enough-secret"],
                ["url": "http://h/", "secret": "long-enough-secret", "types": ["de*ice"]],
                ["url": "http://h/", "secret": "long-enough-secret", "types": []],
                ["url": "http://h/", "secret": "long-enough-secret", "attempts": 0],
            ] {
                let record = load(bad)
                #expect(record.status == .failed, "\(bad)")
                #expect(!"\(record.json)".contains("long-enough-secret"))
            }
        }

        static func type(of request: HTTPRequestMessage) -> String? {
            (try? JSONValue(parsing: request.body))?["type"]?.stringValue
        }

        /// HMAC-SHA256 of `body` computed by the openssl command line (independent of the host's code).
        static func opensslHMAC(_ body: [UInt8], secret: String) async throws -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-body-\(UUID().uuidString)")
            try Data(body).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let output = try await ChildProcess.run("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", secret, "-r", file.path])
            return String(output.stdout.split(separator: " ").first ?? "")
        }
    }
}
