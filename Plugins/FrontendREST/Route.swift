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

    /// The template's segments, split once: a literal (lower-cased) or a `{name}` parameter.
    private let segments: [Segment]

    private enum Segment: Sendable {
        case literal(String)
        case parameter(String)
    }

    init(_ method: String, _ template: String, auth: Bool = true, _ handler: @escaping Handler) {
        self.method = method
        self.template = template
        self.requiresAuth = auth
        self.handler = handler
        segments = template.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(part.lowercased())
        }
    }

    /// The path parameters when the request's segments match the template, else nil.
    /// `lowercased` are the same segments lower-cased (once per request, not per route tried).
    func match(_ path: [String], lowercased: [String]) -> [String: String]? {
        guard segments.count == path.count else { return nil }
        for (segment, candidate) in zip(segments, lowercased) {
            if case .literal(let literal) = segment, literal != candidate { return nil }
        }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            if case .parameter(let name) = segment { parameters[name] = value }
        }
        return parameters
    }
}
