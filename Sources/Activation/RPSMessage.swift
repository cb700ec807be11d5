import Foundation

/// One RPC ⇄ RPS websocket message (a text frame holding this JSON object), the envelope
/// rpc-go and Open AMT's RPS exchange in both directions (shared/reference/rps.md §6.2).
///
/// A plain value; ``decode(_:)`` and ``encoded()`` are the whole codec, shared by the host's
/// `/activate` endpoint and the simulator's rpc-go client.
public struct RPSMessage: Sendable, Equatable, Codable {
    /// `activate --profile P`, `deactivate --password X`, `maintenance …`, `response` (RPC → RPS);
    /// `wsman`, `success`, `error`, `heartbeat_request` (RPS → RPC).
    public var method: String
    /// `"key"` from RPC; RPS sends `"xxxxx"`.
    public var apiKey: String?
    /// The sender's build version.
    public var appVersion: String?
    /// The protocol version (`"4.0.0"`), checked with ``RPSProtocolVersion/isCompatible(_:)``.
    public var protocolVersion: String?
    /// `ok`, `success`, `failed`.
    public var status: String?
    /// `ok`, `""`, or the result text (a JSON-encoded ``ActivationStatusReport`` for results).
    public var message: String?
    /// Present (empty) in RPC messages.
    public var fqdn: String?
    /// Base64: of JSON (a command's device payload), or of raw HTTP (`wsman` / `response`).
    public var payload: String?
    /// The tenant (RPC `-tenant`), default empty.
    public var tenantId: String?

    /// Creates a message.
    public init(
        method: String, apiKey: String? = nil, appVersion: String? = nil, protocolVersion: String? = RPSProtocolVersion.current,
        status: String? = "ok", message: String? = "", fqdn: String? = nil, payload: String? = nil, tenantId: String? = ""
    ) {
        self.method = method
        self.apiKey = apiKey
        self.appVersion = appVersion
        self.protocolVersion = protocolVersion
        self.status = status
        self.message = message
        self.fqdn = fqdn
        self.payload = payload
        self.tenantId = tenantId
    }

    /// Parses a text frame.
    /// - Throws: ``ActivationProtocolError/malformedMessage(_:)`` for anything that is not a JSON
    ///   object with a string `method`.
    public static func decode(_ text: String) throws(ActivationProtocolError) -> RPSMessage {
        do {
            return try JSONDecoder().decode(RPSMessage.self, from: Data(text.utf8))
        } catch {
            throw .malformedMessage(Self.describe(error))
        }
    }

    /// The JSON text of the message (keys sorted, so output is stable; `payload: null` kept).
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of optional strings cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encodeIfPresent(apiKey, forKey: .apiKey)
        try container.encodeIfPresent(appVersion, forKey: .appVersion)
        try container.encodeIfPresent(protocolVersion, forKey: .protocolVersion)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(fqdn, forKey: .fqdn)
        try container.encode(payload, forKey: .payload)
        try container.encodeIfPresent(tenantId, forKey: .tenantId)
    }

    /// The decoded bytes of `payload`, or `nil` when absent or not base64.
    public var payloadBytes: [UInt8]? {
        guard let payload, let data = Data(base64Encoded: payload, options: .ignoreUnknownCharacters) else { return nil }
        return Array(data)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type for '\(path)'"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "not valid JSON"
        }
    }
}

extension RPSMessage {
    /// The host's appVersion in its replies.
    public static let serverAppVersion = "tether-1"

    /// An RPS → RPC `wsman` message carrying one raw HTTP request.
    public static func wsman(_ request: [UInt8]) -> RPSMessage {
        RPSMessage(method: "wsman", apiKey: "xxxxx", appVersion: serverAppVersion, status: "ok", message: "",
                   payload: Data(request).base64EncodedString())
    }

    /// The final `success` message with its status report.
    public static func success(_ report: ActivationStatusReport) -> RPSMessage {
        RPSMessage(method: "success", apiKey: "xxxxx", appVersion: serverAppVersion, status: "success",
                   message: report.json, payload: nil)
    }

    /// An `error` message; `message` is the plain text (early errors) or a report's JSON.
    public static func error(_ message: String) -> RPSMessage {
        RPSMessage(method: "error", apiKey: "xxxxx", appVersion: serverAppVersion, status: "failed",
                   message: message, payload: nil)
    }

    /// An RPC → RPS `response` carrying one raw HTTP response.
    public static func response(_ bytes: [UInt8], appVersion: String = "amtsim") -> RPSMessage {
        RPSMessage(method: "response", apiKey: "key", appVersion: appVersion, status: "ok", message: "ok", fqdn: "",
                   payload: Data(bytes).base64EncodedString())
    }
}
