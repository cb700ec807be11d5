import Foundation
import TetherPluginKit

/// One configured webhook endpoint: where events go, the HMAC secret, which types, and the
/// delivery policy. The secret never appears in logs, stats or errors.
struct WebhookEndpoint: Sendable {
    var name: String
    var url: String
    var secret: String
    var types: [String]
    var timeoutMilliseconds: Int
    var attempts: Int
    var backoffMilliseconds: Int
    var queue: Int

    /// Parses `config.endpoints[index]` with the plugin-wide defaults.
    init(_ json: JSONValue, index: Int, defaults: JSONValue) throws(PluginError) {
        let label = "endpoints[\(index)]"
        guard let url = json["url"]?.stringValue, let parsed = URL(string: url), parsed.scheme == "http", parsed.host?.isEmpty == false else {
            throw PluginError.badRequest("\(label).url must be an http:// URL")
        }
        guard let secret = json["secret"]?.stringValue, secret.utf8.count >= 8 else {
            throw PluginError.badRequest("\(label).secret must be a string of at least 8 bytes")
        }
        let types = json["types"]?.arrayValue ?? ["*"]
        guard !types.isEmpty, types.allSatisfy({ $0.stringValue.map(Self.isPattern) ?? false }) else {
            throw PluginError.badRequest("\(label).types must be a non-empty array of event type patterns (\"*\", \"device.*\", \"job.finished\")")
        }
        func number(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(PluginError) -> Int {
            let value = json[key]?.intValue ?? defaults[key]?.intValue ?? fallback
            guard range.contains(value) else { throw PluginError.badRequest("\(label).\(key) must be in \(range.lowerBound)–\(range.upperBound)") }
            return value
        }
        self.name = "endpoint-\(index)"
        self.url = url
        self.secret = secret
        self.types = types.compactMap(\.stringValue)
        self.timeoutMilliseconds = try number("timeoutMs", 5000, 100...60_000)
        self.attempts = try number("attempts", 4, 1...10)
        self.backoffMilliseconds = try number("backoffMs", 500, 10...60_000)
        self.queue = try number("queue", 1000, 1...100_000)
    }

    /// The host's pattern rule (tether.events/1): `*`, a dotted prefix `device.*`, or an exact type.
    static func isPattern(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 128 else { return false }
        let body = text == "*" ? "" : (text.hasSuffix(".*") ? String(text.dropLast(2)) : text)
        return !body.contains("*")
    }

    /// The pause before retry `attempt` (1-based): backoff × 2^(attempt-1), at most 30 s.
    func backoff(before attempt: Int) -> Int {
        min(30_000, backoffMilliseconds << min(attempt - 1, 16))
    }

    /// The longest one event may take (every attempt times out, every pause taken), plus slack:
    /// the deadline the host gives each delivery.
    var budgetSeconds: Double {
        let pauses = (1..<attempts).map(backoff(before:)).reduce(0, +)
        return min(600, Double(attempts * timeoutMilliseconds + pauses) / 1000 + 5)
    }

    /// The URL without user information (for stats and logs).
    var displayURL: String {
        guard var components = URLComponents(string: url) else { return "(invalid)" }
        components.user = nil
        components.password = nil
        return components.string ?? "(invalid)"
    }

    /// The `tether.events/1` subscription of this endpoint.
    var subscription: JSONValue {
        ["name": .string(name), "types": .array(types.map(JSONValue.string)), "queue": .number(queue), "timeoutSeconds": .double(budgetSeconds)]
    }
}
