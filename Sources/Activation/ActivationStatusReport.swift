import Foundation

/// The status object of a final `success`/`error` message (shared/reference/rps.md §6.7), sent as a JSON string
/// in `message`: `{"Status": …, "Network": …, "CIRAConnection": …, "TLSConfiguration": …}`
/// with only the keys that were set.
public struct ActivationStatusReport: Sendable, Equatable, Codable {
    public var Status: String?
    public var Network: String?
    public var CIRAConnection: String?
    public var TLSConfiguration: String?
    /// Tether's addition: the redirection features / user consent step (`Configured` or what failed).
    public var Features: String?

    public init(status: String? = nil, network: String? = nil, ciraConnection: String? = nil, tlsConfiguration: String? = nil, features: String? = nil) {
        self.Features = features
        self.Status = status
        self.Network = network
        self.CIRAConnection = ciraConnection
        self.TLSConfiguration = tlsConfiguration
    }

    /// The JSON text (keys sorted).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Parses the `message` of a result (nil when it is plain text).
    public static func parse(_ text: String?) -> ActivationStatusReport? {
        guard let text, text.hasPrefix("{") else { return nil }
        return try? JSONDecoder().decode(ActivationStatusReport.self, from: Data(text.utf8))
    }
}
