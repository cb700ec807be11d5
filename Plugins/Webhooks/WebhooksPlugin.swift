import Foundation
import Synchronization
import TetherPluginKit

/// Exports the plugin's descriptor (the one symbol this library exports).
@c(tether_plugin_entry)
public func tetherPluginEntry(_ hostABI: UInt32) -> UnsafeRawPointer? {
    PluginExport.entry(hostABI: hostABI, info: WebhooksPlugin.info, plugin: WebhooksPlugin.self)
}

/// POSTs host events to HTTP endpoints (bundled plugin `io.tether.webhooks`).
///
/// Configuration: `{"endpoints":[{"url":"http://…","secret":"…","types":["device.*"],
/// "timeoutMs"?,"attempts"?,"backoffMs"?,"queue"?}], "timeoutMs"?, "attempts"?, "backoffMs"?}`.
/// Each endpoint is its own `tether.events/1` subscription, so the host keeps a bounded queue
/// per endpoint: a refusing, hanging or failing endpoint only delays (and, when its queue is
/// full, loses) its own events. The body is the event JSON; the host's `http.request` adds
/// `X-Tether-Signature: sha256=<hex HMAC-SHA256(body, secret)>`. A failed attempt (no answer,
/// or a status outside 2xx) is retried after backoff × 2^n, up to `attempts` in all.
final class WebhooksPlugin: TetherPlugin {
    static let info = PluginInfo(id: "io.tether.webhooks", name: "Webhooks", version: "1.0.0")

    struct Counters: Sendable {
        var delivered = 0
        var failed = 0
        var retries = 0
        var lastStatus: Int?
        var lastError: String?
    }

    private let host: PluginHostConnection
    private let endpoints: [WebhookEndpoint]
    private let counters: Mutex<[String: Counters]>

    init(host: PluginHostConnection, config: JSONValue) throws {
        let list = config["endpoints"]?.arrayValue ?? []
        guard config["endpoints"] == nil || config["endpoints"]?.arrayValue != nil else {
            throw PluginError.badRequest("configuration member 'endpoints' must be an array")
        }
        var endpoints: [WebhookEndpoint] = []
        for (index, item) in list.enumerated() {
            endpoints.append(try WebhookEndpoint(item, index: index, defaults: config))
        }
        self.host = host
        self.endpoints = endpoints
        self.counters = Mutex(Dictionary(uniqueKeysWithValues: endpoints.map { ($0.name, Counters()) }))
    }

    var extensions: [String: JSONValue] {
        var extensions: [String: JSONValue] = [
            "tether.commands/1": [
                "commands": [["name": "webhooks.stats", "summary": "Per endpoint: url, types, delivered, failed, retries, last status or error"]]
            ]
        ]
        if !endpoints.isEmpty {
            extensions["tether.events/1"] = ["subscriptions": .array(endpoints.map(\.subscription))]
        }
        return extensions
    }

    func handle(_ request: JSONValue) async throws -> JSONValue {
        switch request["op"]?.stringValue {
        case "event":
            guard let name = request["subscription"]?.stringValue, let endpoint = endpoints.first(where: { $0.name == name }),
                let event = request["event"]
            else {
                throw PluginError.badRequest("an event for an unknown subscription")
            }
            try await deliver(event, to: endpoint)
            return [:]
        case "command" where request["command"]?.stringValue == "webhooks.stats":
            return stats()
        default:
            throw PluginError.unsupported("webhooks answers events and webhooks.stats")
        }
    }

    /// POSTs `event` until an attempt gets a 2xx answer or the attempts are used up.
    private func deliver(_ event: JSONValue, to endpoint: WebhookEndpoint) async throws {
        let body = Data(event.encodedBytes()).base64EncodedString()
        let args: JSONValue = [
            "method": "POST", "url": .string(endpoint.url), "body_base64": .string(body),
            "headers": [
                "Content-Type": "application/json", "User-Agent": .string("tether-webhooks/\(Self.info.version)"),
                "X-Tether-Event": .string(event["type"]?.stringValue ?? ""),
            ],
            "timeoutMs": .number(endpoint.timeoutMilliseconds),
            "signature": ["secret": .string(endpoint.secret), "header": "X-Tether-Signature", "prefix": "sha256="],
        ]
        var lastProblem = ""
        for attempt in 1...endpoint.attempts {
            if attempt > 1 {
                update(endpoint) { $0.retries += 1 }
                try await Task.sleep(for: .milliseconds(endpoint.backoff(before: attempt - 1)))
            }
            do {
                let response = try await host.submit("http.request", args: args)
                let status = response["status"]?.intValue ?? 0
                if (200..<300).contains(status) {
                    update(endpoint) {
                        $0.delivered += 1
                        $0.lastStatus = status
                    }
                    return
                }
                lastProblem = "HTTP \(status)"
                update(endpoint) { $0.lastStatus = status }
            } catch {
                if error.code == "cancelled" { throw CancellationError() }
                lastProblem = error.message
                update(endpoint) { $0.lastError = error.message }
            }
        }
        update(endpoint) { $0.failed += 1 }
        host.log(.warning, "webhook \(endpoint.displayURL) not delivered after \(endpoint.attempts) attempts: \(lastProblem)")
        throw PluginError.failure("not delivered to \(endpoint.displayURL): \(lastProblem)", code: "unavailable")
    }

    private func update(_ endpoint: WebhookEndpoint, _ change: (inout Counters) -> Void) {
        counters.withLock { change(&$0[endpoint.name, default: Counters()]) }
    }

    private func stats() -> JSONValue {
        let snapshot = counters.withLock { $0 }
        return [
            "endpoints": .array(
                endpoints.map { endpoint in
                    let counters = snapshot[endpoint.name] ?? Counters()
                    return [
                        "name": .string(endpoint.name), "url": .string(endpoint.displayURL),
                        "types": .array(endpoint.types.map(JSONValue.string)), "delivered": .number(counters.delivered),
                        "failed": .number(counters.failed), "retries": .number(counters.retries),
                        "lastStatus": counters.lastStatus.map { .number($0) } ?? .null,
                        "lastError": counters.lastError.map(JSONValue.string) ?? .null,
                    ]
                })
        ]
    }
}
