import TetherPluginKit

/// A request matched to a route: the exchange plus the `{name}` path parameters.
struct RouteRequest: Sendable {
    var exchange: HTTPExchange
    var parameters: [String: String]

    func parameter(_ name: String) -> String { parameters[name] ?? "" }
}

/// One REST route: method + template (`/amt/power/action/{guid}`, relative to the mount),
/// matched case-insensitively on literal segments, like Express.
struct Route: Sendable {
    typealias Handler = @Sendable (FrontendRESTPlugin, RouteRequest) async throws(RESTResponse) -> RESTResponse

    var method: String
    var template: String
    /// False only for authorize, health, version and the OpenAPI document.
    var requiresAuth: Bool
    var handler: Handler

    init(_ method: String, _ template: String, auth: Bool = true, _ handler: @escaping Handler) {
        self.method = method
        self.template = template
        self.requiresAuth = auth
        self.handler = handler
    }

    private var templateSegments: [Substring] { template.split(separator: "/") }

    /// The path parameters when `segments` match the template, else nil.
    func match(_ segments: [String]) -> [String: String]? {
        let parts = templateSegments
        guard parts.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(parts, segments) {
            if part.hasPrefix("{"), part.hasSuffix("}") {
                parameters[String(part.dropFirst().dropLast())] = segment
            } else if part.lowercased() != segment.lowercased() {
                return nil
            }
        }
        return parameters
    }
}
