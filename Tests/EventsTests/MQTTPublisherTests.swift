import AMTSimulator
import Foundation
import MQTT
import Testing
import TetherJSON
@testable import TetherCore

/// The MQTT publisher against Debian's mosquitto (started by the test on a free port).
extension EventsIntegrationTests {
    @Suite(.serialized, .enabled(if: Mosquitto.isInstalled, "needs mosquitto (apt-get install mosquitto mosquitto-clients)"))
    struct MQTTPublisherTests {
        /// The broker is down when the publisher starts; messages wait, reconnects back off, and all
        /// of them arrive once the broker is up.
        @Test func brokerDownAtStartThenUp() async throws {
            let port = try await WebhookReceiver.refusingPort()
            let broker = try Mosquitto(port: port)
            try await broker.start()
            try await broker.createSession(clientID: "late-subscriber", topic: "test/#")
            try await broker.waitForAutosave()
            await broker.stop()
            #expect(!Mosquitto.accepts(port: port), "the broker is down")

            var settings = MQTTSettings(host: "127.0.0.1", port: port, clientID: "tether-test-publisher", topicPrefix: "test")
            settings.initialBackoff = .milliseconds(100)
            settings.maxBackoff = .milliseconds(800)
            let publisher = MQTTPublisher(settings: settings)
            publisher.start()
            defer { Task { await publisher.stop() } }
            for index in 0..<5 { publisher.publish(topic: "test/n", payload: Array("message-\(index)".utf8)) }
            #expect(await eventually(timeout: .seconds(10)) { publisher.counters.connectFailures >= 2 }, "\(publisher.counters)")
            #expect(publisher.counters.queued == 5 && !publisher.counters.connected, "\(publisher.counters)")

            try await broker.start()
            defer { Task { await broker.stop() } }
            #expect(await eventually(timeout: .seconds(20)) { publisher.counters.acknowledged == 5 }, "\(publisher.counters)")
            let lines = try await broker.receive(clientID: "late-subscriber", topic: "test/#", count: 5)
            #expect(lines == (0..<5).map { "test/n message-\($0)" }, "\(lines)")
        }

        /// A host configured with `mqtt` publishes device.connected and job events.
        @Test func hostPublishesEventsToMosquitto() async throws {
            let port = try await WebhookReceiver.refusingPort()
            let broker = try Mosquitto(port: port)
            try await broker.start()
            defer { Task { await broker.stop() } }
            try await broker.createSession(clientID: "event-subscriber", topic: "site-7/events/#")
            let bed = try await EventsTestHost.start { configuration in
                configuration.mqtt = try? MQTTEventSettings(
                    json: ["url": .string("mqtt://127.0.0.1:\(port)"), "topicPrefix": "site-7/events", "types": ["device.*"]], source: "test")
            }
            defer { Task { await bed.stop() } }
            let fleet = try await bed.fleet(count: 1, seed: 1618, configure: { $0.reconnect = false })
            let guid = fleet.devices[0].configuration.uuid.guidString.lowercased()
            await fleet.start()
            #expect(await bed.waitForSessions([guid]))
            await fleet.stop()
            let lines = try await broker.receive(clientID: "event-subscriber", topic: "site-7/events/#", count: 2)
            #expect(lines.count == 2, "\(lines)")
            let topics = lines.map { String($0.split(separator: " ", maxSplits: 1).first ?? "") }
            #expect(topics == ["site-7/events/device.connected", "site-7/events/device.disconnected"])
            let connected = try JSONValue(parsing: String(lines[0].split(separator: " ", maxSplits: 1).last ?? ""))
            #expect(connected["guid"]?.stringValue == guid && connected["type"] == "device.connected" && connected["tenantId"] == "")
            // The broker's PUBACK may trail its delivery to the subscriber.
            let acknowledged = await eventually {
                let metrics = bed.host.metricsExposition()
                return metrics.contains("tether_mqtt_connected 1") && metrics.contains("tether_mqtt_acknowledged_total 2")
            }
            #expect(acknowledged, "\(bed.host.metricsExposition())")
        }

        @Test func badMQTTConfigurationIsRefusedWithTheKey() throws {
            for (json, member) in [
                (["url": "http://broker"], "mqtt.url"), (["url": "mqtt://b", "topicPrefix": "a/#"], "mqtt.topicPrefix"),
                (["url": "mqtt://b", "types": []], "mqtt.types"), (["url": "mqtt://b", "extra": 1], "mqtt.extra"),
                (["topicPrefix": "x"], "mqtt.url"),
            ] as [(JSONValue, String)] {
                #expect(throws: ConfigurationError.self) { try MQTTEventSettings(json: json, source: "test") }
                do {
                    _ = try MQTTEventSettings(json: json, source: "test")
                } catch {
                    #expect(error.description.contains(member), "\(error)")
                }
            }
        }
    }
}
