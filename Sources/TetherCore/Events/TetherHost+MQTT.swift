import Logging
import MQTT

extension TetherHost {
    /// Starts the MQTT publisher when `mqtt` is configured: every matching event is published
    /// (QoS 1) to `<topicPrefix>/<type>` as its JSON. The broker may be down at start; the
    /// publisher keeps reconnecting with backoff and buffers meanwhile (bounded).
    func startMQTT() {
        guard let settings = configuration.mqtt else { return }
        var broker = settings.broker
        broker.clientID = settings.clientID ?? "tether-\(configuration.instanceName)"
        let logger = self.logger
        let address = "\(broker.host):\(broker.port)"
        let publisher = MQTTPublisher(settings: broker) { message in
            logger.info("\(message)", metadata: ["mqtt": "\(address)"])
        }
        publisher.start()
        let prefix = broker.topicPrefix
        events.subscribe(name: "mqtt", patterns: settings.types, capacity: 4096) { event in
            publisher.publish(topic: "\(prefix)/\(event.type)", payload: event.json.encodedBytes())
        }
        mqttPublisher.withLock { $0 = publisher }
        logger.info("publishing events over MQTT", metadata: ["broker": "\(broker.host):\(broker.port)", "topicPrefix": "\(prefix)"])
    }

    /// Disconnects from the broker (host shutdown).
    func stopMQTT() async {
        let publisher = mqttPublisher.withLock { state in
            defer { state = nil }
            return state
        }
        await publisher?.stop()
    }

    /// `tether_mqtt_*` counters, when MQTT is configured.
    func renderMQTTMetrics(into out: inout PrometheusText) {
        guard let counters = mqttPublisher.withLock({ $0 })?.counters else { return }
        let samples: [(String, String, String, Int)] = [
            ("tether_mqtt_connected", "gauge", "1 while the MQTT broker connection is up.", counters.connected ? 1 : 0),
            ("tether_mqtt_acknowledged_total", "counter", "Events the broker acknowledged (PUBACK).", counters.acknowledged),
            ("tether_mqtt_dropped_total", "counter", "Events dropped because the MQTT queue was full.", counters.dropped),
            ("tether_mqtt_queued", "gauge", "Events waiting for the broker.", counters.queued + counters.inFlight),
            ("tether_mqtt_connects_total", "counter", "Accepted connections to the broker.", counters.connects),
            ("tether_mqtt_connect_failures_total", "counter", "Failed connection attempts to the broker.", counters.connectFailures),
        ]
        for (name, type, help, value) in samples {
            out.family(name, type: type, help: help)
            out.sample(name, value)
        }
    }
}
