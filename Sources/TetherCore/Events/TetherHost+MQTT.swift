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
    func exportMQTTMetrics(into out: ScrapedMetrics) {
        guard let counters = mqttPublisher.withLock({ $0 })?.counters else { return }
        out.gauge("tether_mqtt_connected", help: "1 while the MQTT broker connection is up.", counters.connected ? 1 : 0)
        out.counter("tether_mqtt_acknowledged_total", help: "Events the broker acknowledged (PUBACK).", total: counters.acknowledged)
        out.counter("tether_mqtt_dropped_total", help: "Events dropped because the MQTT queue was full.", total: counters.dropped)
        out.gauge("tether_mqtt_queued", help: "Events waiting for the broker.", counters.queued + counters.inFlight)
        out.counter("tether_mqtt_connects_total", help: "Accepted connections to the broker.", total: counters.connects)
        out.counter("tether_mqtt_connect_failures_total", help: "Failed connection attempts to the broker.", total: counters.connectFailures)
    }
}
