import Foundation
import PluginHost
import Store
import TetherJSON

extension TetherHost {
    /// Publishes an event to every subscriber (plugins, webhooks, MQTT). Never blocks. A device
    /// event published without `tenantId` gets the device's tenant. Never put a secret in `fields`.
    public func publishEvent(_ type: String, guid: String? = nil, tenantId: String? = nil, fields: [String: JSONValue] = [:]) {
        events.publish(TetherEvent(type: type, guid: guid, tenantId: tenantId, fields: fields))
    }

    /// Wires the bus to the store (tenants of device events), subscribes the plugins that declare
    /// `tether.events/1`, and registers `events.stats`. Call once, after the plugins are loaded.
    func startEvents() {
        events.setTenantResolver { [weak self] guid in
            try? await self?.store?.devices.find(guid: guid).tenantId
        }
        _ = PluginEventSubscriptions.subscribeAll(plugins: plugins, bus: events, logger: logger)
        startMQTT()
        bus.register(
            name: "events.stats", summary: "Event bus counters: published, and per subscriber delivered/dropped/failed/queued",
            provider: "host"
        ) { [weak self] _ in
            guard let snapshot = self?.events.snapshot else { return .object([:]) }
            return [
                "published": .number(snapshot.published), "droppedAtIngress": .number(snapshot.droppedAtIngress),
                "subscribers": .array(
                    snapshot.subscriptions.map { entry in
                        [
                            "name": .string(entry.name), "delivered": .number(entry.counters.delivered),
                            "dropped": .number(entry.counters.dropped), "failed": .number(entry.counters.failed),
                            "queued": .number(entry.counters.queued),
                        ]
                    }),
            ]
        }
    }

    /// Ends every subscription and disconnects from the MQTT broker (host shutdown).
    func stopEvents() async {
        events.closeAll()
        await stopMQTT()
    }

    /// `<kind>.created|updated|deleted` for an admin mutation recorded as `<kind>.create|update|delete`
    /// (other audit actions publish nothing). Carries the record's key, never a field of it.
    func publishAdminEvent(action: String, target: String, tenantId: String) {
        let parts = action.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let past = ["create": "created", "update": "updated", "delete": "deleted"][parts[1]] else { return }
        let kind = parts[0]
        let key = ["ciraconfig": "configName", "profile": "profileName", "domain": "profileName", "device": "guid"][kind] ?? "name"
        publishEvent(
            "\(kind).\(past)", guid: kind == "device" ? target : nil, tenantId: tenantId, fields: [key: .string(target)])
    }

    /// Event metrics: `tether_events_published_total`, `tether_events_dropped_total{subscriber}`,
    /// `tether_events_delivered_total{subscriber}`, `tether_events_failed_total{subscriber}`,
    /// `tether_events_queued{subscriber}`.
    func exportEventMetrics(into out: ScrapedMetrics) {
        let snapshot = events.snapshot
        out.counter("tether_events_published_total", help: "Events published on the host's event bus.", total: snapshot.published)
        out.counter(
            "tether_events_dropped_total", [("subscriber", "ingress")],
            help: "Events a subscriber lost because its queue was full.", total: snapshot.droppedAtIngress)
        for entry in snapshot.subscriptions {
            let labels = [("subscriber", entry.name)]
            out.counter("tether_events_delivered_total", labels, help: "Events a subscriber took.", total: entry.counters.delivered)
            out.counter(
                "tether_events_dropped_total", labels, help: "Events a subscriber lost because its queue was full.",
                total: entry.counters.dropped)
            out.counter(
                "tether_events_failed_total", labels, help: "Events a subscriber failed to take (error or deadline).",
                total: entry.counters.failed)
            out.gauge("tether_events_queued", labels, help: "Events waiting in a subscriber's queue.", entry.counters.queued)
        }
        exportMQTTMetrics(into: out)
    }
}
